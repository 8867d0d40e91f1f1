/** The operations the gateway tests send, typed by GraphQL Code Generator (npm run codegen). */
import { graphql } from '../../generated/graphql/index.ts';

export const InvokeResultFields = graphql(`
  fragment InvokeResultFields on InvokeFunctionResult {
    __typename
    ... on Error {
      message
    }
    ... on Invocation {
      requestId
      functionName
      qualifier
      invocationType
      statusCode
      executedVersion
      payloadJson
      payloadText
      payloadSizeBytes
      logResult
      decodedLogs
      durationMs
      replayed
      functionError {
        kind
        errorType
        errorMessage
        stackTrace
      }
      report {
        durationMs
        billedDurationMs
        memorySizeMb
        maxMemoryUsedMb
        initDurationMs
        status
        errorType
      }
    }
    ... on FunctionNotFoundError {
      functionName
      qualifier
    }
    ... on ThrottledError {
      reason
      retryAfterSeconds
    }
    ... on InvalidInvocationError {
      code
      field
    }
    ... on PayloadTooLargeError {
      part
      limitBytes
      sizeBytes
      excessBytes
    }
    ... on InvocationTimeoutError {
      timeoutMs
    }
    ... on LambdaServiceError {
      code
      httpStatus
      lambdaRequestId
    }
    ... on IdempotencyConflictError {
      idempotencyKey
      conflict
    }
  }
`);

export const InvokeFunctionDocument = graphql(`
  mutation InvokeFunction($input: InvokeFunctionInput!) {
    invokeFunction(input: $input) {
      ...InvokeResultFields
    }
  }
`);

export const InvokeFunctionsDocument = graphql(`
  mutation InvokeFunctions($inputs: [InvokeFunctionInput!]!) {
    invokeFunctions(inputs: $inputs) {
      ...InvokeResultFields
    }
  }
`);

export const GatewayInfoDocument = graphql(`
  query GatewayInfo {
    gateway {
      lambdaTarget
      region
      maxBatchSize
      invokeTimeoutMs
    }
  }
`);

export const InvocationRecordFields = graphql(`
  fragment InvocationRecordFields on InvocationRecord {
    requestId
    functionName
    qualifier
    status
    startedByGateway
    acceptedAt
    expiresAt
    completedAt
    condition
    attempts
    executedVersion
    requestPayload
    responsePayload
    functionError {
      kind
      errorType
      errorMessage
    }
  }
`);

export const InvocationDocument = graphql(`
  query Invocation($requestId: ID!) {
    invocation(requestId: $requestId) {
      ...InvocationRecordFields
    }
  }
`);

export const InvocationUpdatesDocument = graphql(`
  subscription InvocationUpdates($requestId: ID!) {
    invocationUpdates(requestId: $requestId) {
      ...InvocationRecordFields
    }
  }
`);

export const InvocationEventsDocument = graphql(`
  subscription InvocationEvents($functionName: String) {
    invocationEvents(functionName: $functionName) {
      ...InvocationRecordFields
    }
  }
`);
