/**
 * Calls the gateway the way a backend service would. Against `npm start` (no authentication):
 *
 *   npx node examples/service-client/main.ts
 *
 * GATEWAY_URL and GATEWAY_API_KEY point it elsewhere; PERSISTED=1 sends operations by hash only.
 */
import { ServiceClient } from './client.ts';
import { invokeFunction, placeOrder, user } from './lambda-gateway.ts';

const client = new ServiceClient({
  url: process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql',
  apiKey: process.env.GATEWAY_API_KEY ?? '',
  persisted: process.env.PERSISTED === '1',
});

for (const functionName of ['echo', 'nope', 'fail']) {
  const result = await invokeFunction(client, { functionName, payload: { from: 'service-client' } });
  switch (result.__typename) {
    case 'Invocation':
      console.log(`${functionName}: ran (${result.requestId})`, result.functionError ?? result.payloadJson);
      break;
    case 'FunctionNotFoundError':
      console.log(`${functionName}: no such function (${result.message})`);
      break;
    case 'ThrottledError':
      console.log(`${functionName}: throttled, retry after ${result.retryAfterSeconds ?? '?'} s`);
      break;
    default:
      console.log(`${functionName}: ${result.__typename}: ${result.message}`);
  }
}

// Typed fields: the demo's user-1 and an order for them (GraphQL errors, such as FUNCTION_ERROR, throw).
const ada = await user(client, 'user-1');
console.log(`user-1: ${ada === null ? 'unknown' : `${ada.name} (${ada.tier}), orders ${ada.orders.map((order) => order.id).join(', ')}`}`);
const order = await placeOrder(client, { userId: 'user-1', items: [{ sku: 'book-sicp', quantity: 1 }] });
console.log(`placed: ${order === null ? 'no such user' : `${order.id} ${order.total} ${order.currency}`}`);
