/**
 * Apollo Client 4 against the gateway, with both subscription transports. Start the gateway with
 * `npm start`, then:
 *
 *   npx node examples/apollo-client/main.ts
 *
 * GATEWAY_URL (default http://127.0.0.1:4000/graphql) and GATEWAY_API_KEY point it elsewhere.
 */
import { createGatewayClient, type GatewayClient, type SubscriptionTransport } from './client.ts';
import {
  ExampleFollowDocument,
  ExampleGatewayDocument,
  ExampleInvocationDocument,
  ExampleInvokeDocument,
  ExampleStreamDocument,
  ExampleUsersWithOrdersDocument,
} from './operations.ts';

const url = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql';
const apiKey = process.env.GATEWAY_API_KEY;

/** Starts `sleep` as an EVENT invocation and follows it to its end over `transport`. */
async function follow(apollo: GatewayClient, transport: SubscriptionTransport): Promise<void> {
  const started = await apollo.client.mutate({
    mutation: ExampleInvokeDocument,
    variables: { input: { functionName: 'sleep', invocationType: 'EVENT', payload: { ms: 500 } } },
  });
  const outcome = started.data?.invokeFunction;
  if (outcome?.__typename !== 'Invocation') throw new Error(`not accepted: ${JSON.stringify(outcome)}`);
  const { requestId } = outcome;
  await new Promise<void>((resolve, reject: (error: Error) => void) => {
    apollo.client.subscribe({ query: ExampleFollowDocument, variables: { requestId } }).subscribe({
      next: ({ data, error }) => {
        if (error !== undefined) reject(new Error(error.message));
        else if (data !== undefined)
          console.log(
            `[${transport}] ${requestId}: ${data.invocationUpdates.status} ${JSON.stringify(data.invocationUpdates.responsePayload ?? null)}`,
          );
      },
      error: (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))),
      complete: resolve,
    });
  });
  // The subscription put the record in the normalised cache: this read makes no request.
  const cached = await apollo.client.query({ query: ExampleInvocationDocument, variables: { requestId }, fetchPolicy: 'cache-only' });
  console.log(`[${transport}] from the cache: ${cached.data?.invocation?.status ?? 'missing'}`);
}

/**
 * Streams the demo function `stream` over `transport`: its words are printed as the function
 * writes them, then the end event. Unsubscribing instead would abort the function.
 */
async function stream(apollo: GatewayClient, transport: SubscriptionTransport): Promise<void> {
  let text = '';
  await new Promise<void>((resolve, reject: (error: Error) => void) => {
    apollo.client
      .subscribe({ query: ExampleStreamDocument, variables: { input: { functionName: 'stream', payload: { chunks: 9, intervalMs: 50 } } } })
      .subscribe({
        next: ({ data, error }) => {
          if (error !== undefined) return reject(new Error(error.message));
          const event = data?.invokeFunctionStream;
          if (event?.__typename === 'InvocationStreamChunk') text += event.text ?? '';
          else if (event?.__typename === 'InvocationStreamEnd')
            console.log(`[${transport}] streamed ${event.totalBytes} bytes in ${Math.round(event.durationMs)} ms: ${text.trim()}`);
          else if (event !== undefined) console.log(`[${transport}] ${event.__typename}: ${event.message}`);
        },
        error: (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))),
        complete: resolve,
      });
  });
}

for (const transport of ['websocket', 'http'] as const) {
  const apollo = createGatewayClient({ url, subscriptions: transport, ...(apiKey === undefined ? {} : { apiKey }) });
  try {
    if (transport === 'websocket') {
      const info = await apollo.client.query({ query: ExampleGatewayDocument });
      console.log(`gateway: ${info.data?.gateway.lambdaTarget ?? '?'} Lambda in ${info.data?.gateway.region ?? '?'}`);
      for (const functionName of ['echo', 'fail', 'nope', 'throttled']) {
        const result = await apollo.client.mutate({
          mutation: ExampleInvokeDocument,
          variables: { input: { functionName, payload: { hello: 'apollo' } } },
        });
        const answer = result.data?.invokeFunction;
        if (answer?.__typename === 'Invocation') {
          const { functionError, payloadJson } = answer;
          console.log(
            `${functionName}: Invocation ${functionError === null ? JSON.stringify(payloadJson) : `failed: ${functionError.errorType}: ${functionError.errorMessage}`}`,
          );
        } else if (answer !== undefined) console.log(`${functionName}: ${answer.__typename}: ${answer.message}`);
      }
      // Typed fields: plain generated types, one users-get and one orders-by-user invocation for both aliases.
      const users = await apollo.client.query({ query: ExampleUsersWithOrdersDocument, variables: { first: 'user-1', second: 'user-2' } });
      for (const user of [users.data?.first, users.data?.second])
        if (user)
          console.log(
            `user ${user.id}: ${user.name}, ${user.orders.length} orders, ${user.orders.map((order) => order.total).join(' + ')}`,
          );
    }
    await follow(apollo, transport);
    await stream(apollo, transport);
  } finally {
    await apollo.close();
  }
}
