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

/** A response stream: the function's output as it writes it, then one end event. */
export const ExampleStreamDocument = graphql(`
  subscription ExampleStream($input: InvokeFunctionStreamInput!) {
    invokeFunctionStream(input: $input) {
      __typename
      ... on Error {
        message
      }
      ... on InvocationStreamChunk {
        sequence
        text
      }
      ... on InvocationStreamEnd {
        totalBytes
        durationMs
        functionError {
          errorMessage
        }
      }
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

/**
 * Typed fields (the demo's `user` and `User.orders`): plain types, no union to unwrap. A function
 * that fails leaves its field null with an error at its path (errorPolicy: 'all' keeps both).
 */
export const ExampleUsersWithOrdersDocument = graphql(`
  query ExampleUsersWithOrders($first: ID!, $second: ID!) {
    first: user(id: $first) {
      id
      name
      orders {
        id
        status
        total
        currency
      }
    }
    second: user(id: $second) {
      id
      name
      orders {
        id
        total
      }
    }
  }
`);
