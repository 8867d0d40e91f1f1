
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "Error": [
      "FunctionNotFoundError",
      "IdempotencyConflictError",
      "InvalidInvocationError",
      "InvocationTimeoutError",
      "LambdaServiceError",
      "PayloadTooLargeError",
      "ThrottledError"
    ],
    "InvokeFunctionResult": [
      "FunctionNotFoundError",
      "IdempotencyConflictError",
      "InvalidInvocationError",
      "Invocation",
      "InvocationTimeoutError",
      "LambdaServiceError",
      "PayloadTooLargeError",
      "ThrottledError"
    ],
    "InvokeFunctionStreamEvent": [
      "FunctionNotFoundError",
      "InvalidInvocationError",
      "InvocationStreamChunk",
      "InvocationStreamEnd",
      "InvocationTimeoutError",
      "LambdaServiceError",
      "PayloadTooLargeError",
      "ThrottledError"
    ]
  }
};
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "Error": [
      "FunctionNotFoundError",
      "IdempotencyConflictError",
      "InvalidInvocationError",
      "InvocationTimeoutError",
      "LambdaServiceError",
      "PayloadTooLargeError",
      "ThrottledError"
    ],
    "InvokeFunctionResult": [
      "FunctionNotFoundError",
      "IdempotencyConflictError",
      "InvalidInvocationError",
      "Invocation",
      "InvocationTimeoutError",
      "LambdaServiceError",
      "PayloadTooLargeError",
      "ThrottledError"
    ],
    "InvokeFunctionStreamEvent": [
      "FunctionNotFoundError",
      "InvalidInvocationError",
      "InvocationStreamChunk",
      "InvocationStreamEnd",
      "InvocationTimeoutError",
      "LambdaServiceError",
      "PayloadTooLargeError",
      "ThrottledError"
    ]
  }
};
      export default result;
    