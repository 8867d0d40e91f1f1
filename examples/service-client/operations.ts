/** The operations the service client sends, typed by GraphQL Code Generator (`npm run codegen`). */
import { graphql } from '../../generated/graphql/index.ts';

export const ServiceInvokeDocument = graphql(`
  mutation ServiceInvoke($input: InvokeFunctionInput!) {
    invokeFunction(input: $input) {
      __typename
      ... on Error {
        message
      }
      ... on Invocation {
        requestId
        statusCode
        executedVersion
        payloadJson
        replayed
        functionError {
          errorType
          errorMessage
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
      }
      ... on InvocationTimeoutError {
        timeoutMs
      }
      ... on LambdaServiceError {
        code
        httpStatus
      }
      ... on IdempotencyConflictError {
        idempotencyKey
        conflict
      }
    }
  }
`);

export const ServiceInvocationDocument = graphql(`
  query ServiceInvocation($requestId: ID!) {
    invocation(requestId: $requestId) {
      requestId
      functionName
      status
      attempts
      responsePayload
      functionError {
        errorType
        errorMessage
      }
    }
  }
`);

/** Typed fields (the demo's): a user with their orders, and placing an order. */
export const ServiceUserDocument = graphql(`
  query ServiceUser($id: ID!) {
    user(id: $id) {
      id
      name
      tier
      orders {
        id
        status
        total
        currency
      }
    }
  }
`);

export const ServicePlaceOrderDocument = graphql(`
  mutation ServicePlaceOrder($input: PlaceOrderInput!) {
    placeOrder(input: $input) {
      id
      status
      total
      currency
    }
  }
`);
