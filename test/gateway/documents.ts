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

export const CatalogFunctionFields = graphql(`
  fragment CatalogFunctionFields on LambdaFunction {
    name
    arn
    description
    runtime
    handler
    memorySizeMb
    timeoutSeconds
    lastModified
  }
`);

export const FunctionsDocument = graphql(`
  query Functions {
    functions {
      ...CatalogFunctionFields
    }
  }
`);

export const FunctionsWithQualifiersDocument = graphql(`
  query FunctionsWithQualifiers {
    functions {
      name
      versions {
        version
        description
      }
      aliases {
        name
        functionVersion
        description
        routingWeights {
          version
          weight
        }
      }
    }
  }
`);

export const FunctionDocument = graphql(`
  query Function($name: String!) {
    function(name: $name) {
      ...CatalogFunctionFields
      versions {
        version
        description
      }
      aliases {
        name
        functionVersion
        description
        routingWeights {
          version
          weight
        }
      }
    }
  }
`);

/** One function selected twice, with its versions in both: the loaders read each once. */
export const EchoTwiceDocument = graphql(`
  query EchoTwice {
    a: function(name: "echo") {
      versions {
        version
      }
    }
    b: function(name: "echo") {
      aliases {
        name
      }
      versions {
        version
      }
    }
  }
`);

export const InvokeFunctionStreamDocument = graphql(`
  subscription InvokeFunctionStream($input: InvokeFunctionStreamInput!) {
    invokeFunctionStream(input: $input) {
      __typename
      ... on Error {
        message
      }
      ... on InvocationStreamChunk {
        requestId
        sequence
        text
        base64
        byteCount
      }
      ... on InvocationStreamEnd {
        requestId
        executedVersion
        totalBytes
        chunkCount
        durationMs
        decodedLogs
        functionError {
          kind
          errorType
          errorMessage
        }
      }
    }
  }
`);
