/**
 * The gateway's operations as typed functions for services: `invokeFunction` resolves with the
 * union member, narrowed by `__typename` (`Invocation`, `FunctionNotFoundError`, `ThrottledError`, …).
 */
import type {
  InvokeFunctionInput,
  PlaceOrderInput,
  ServiceInvocationQuery,
  ServiceInvokeMutation,
  ServicePlaceOrderMutation,
  ServiceUserQuery,
} from '../../generated/graphql/graphql.ts';
import type { ServiceClient } from './client.ts';
import { ServiceInvocationDocument, ServiceInvokeDocument, ServicePlaceOrderDocument, ServiceUserDocument } from './operations.ts';

export type InvokeResult = ServiceInvokeMutation['invokeFunction'];
export type InvokeOutcome<T extends InvokeResult['__typename']> = Extract<InvokeResult, { __typename: T }>;

export async function invokeFunction(client: ServiceClient, input: InvokeFunctionInput): Promise<InvokeResult> {
  return (await client.request(ServiceInvokeDocument, { input })).invokeFunction;
}

/** An EVENT invocation's record, or null when the gateway does not know it. */
export async function invocation(client: ServiceClient, requestId: string): Promise<ServiceInvocationQuery['invocation']> {
  return (await client.request(ServiceInvocationDocument, { requestId })).invocation;
}

/** The demo's typed field `Query.user`: the user and their orders, or null for an unknown id. */
export async function user(client: ServiceClient, id: string): Promise<ServiceUserQuery['user']> {
  return (await client.request(ServiceUserDocument, { id })).user;
}

/** The demo's typed mutation `placeOrder`: each call places one order. */
export async function placeOrder(client: ServiceClient, input: PlaceOrderInput): Promise<ServicePlaceOrderMutation['placeOrder']> {
  return (await client.request(ServicePlaceOrderDocument, { input })).placeOrder;
}
