/** The operations of the Apollo Client example, typed by GraphQL Code Generator (`npm run codegen`). */
import { graphql } from '../../generated/graphql/index.ts';

export const ExampleGatewayDocument = graphql(`
  query ExampleGateway {
    gateway {
      lambdaTarget
      region
    }
  }
`);

export const ExampleInvokeDocument = graphql(`
  mutation ExampleInvoke($input: InvokeFunctionInput!) {
    invokeFunction(input: $input) {
      __typename
      ... on Error {
        message
      }
      ... on Invocation {
        requestId
        statusCode
        payloadJson
        functionError {
          errorType
          errorMessage
        }
      }
      ... on ThrottledError {
        retryAfterSeconds
      }
    }
  }
`);

export const ExampleFollowDocument = graphql(`
  subscription ExampleFollow($requestId: ID!) {
    invocationUpdates(requestId: $requestId) {
      requestId
      status
      attempts
      responsePayload
    }
  }
`);

export const ExampleInvocationDocument = graphql(`
  query ExampleInvocation($requestId: ID!) {
    invocation(requestId: $requestId) {
      requestId
      status
      attempts
      responsePayload
    }
  }
`);
