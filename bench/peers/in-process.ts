/**
 * Phase 3 of `bench/peers`, what the gateway's defaults cost on their own: the gateway (every
 * default feature on) and bare graphql-yoga with the peers' schema, both answering through
 * `fetch` in this process — no socket, and an invoker that answers at once instead of the SDK — so
 * the CPU per request is the GraphQL server's and the gateway's own work alone: context, loaders,
 * access checks, deadlines, limits, metrics, the activity log, the request log and result mapping.
 * One `invokeFunction`, and a fan-out of `--fanout` in one operation (per invocation). The two
 * alternate in rounds; medians are reported.
 */
import { createSchema, createYoga } from 'graphql-yoga';
import { assembleGateway } from '../../src/assembly.ts';
import { resolveGatewayConfig } from '../../src/config.ts';
import type { LambdaInvoker } from '../../src/lambda/invoker.ts';
import { BATCH_QUERY, INVOKE_QUERY } from '../gateway/graphql-client.ts';
import { PEER_TYPE_DEFS, type PeerResult, peerResolvers } from '../support/peer-schema.ts';
import { median, round } from '../support/stats.ts';
import type { Options } from './setup.ts';

export interface InProcessResult {
  /** CPU µs per request of one invokeFunction. */
  readonly single: { readonly gateway: number; readonly yoga: number; readonly addedUs: number };
  /** CPU µs per invocation inside a fan-out of `size`. */
  readonly fanout: { readonly size: number; readonly gateway: number; readonly yoga: number; readonly addedUs: number };
}

const NULL = new TextEncoder().encode('null');
/** Lambda's answer for `noop`, at once: what is measured is everything around the call. */
const instantInvoker: LambdaInvoker = {
  invoke: () =>
    Promise.resolve({
      requestId: 'bench',
      statusCode: 200,
      executedVersion: '$LATEST',
      functionError: undefined,
      logResult: undefined,
      payload: NULL,
    }),
  reachability: () => Promise.resolve({ state: 'reachable' }),
  destroy: () => undefined,
};
const INSTANT: PeerResult = { __typename: 'Invocation', statusCode: 200, payloadJson: null };

type Fetch = (request: Request) => Promise<Response> | Response;

async function cpuPerRequest(fetch: Fetch, body: string, total: number, concurrency: number): Promise<number> {
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    accept: 'application/graphql-response+json',
    host: '127.0.0.1',
  };
  const once = async (): Promise<void> => {
    const response = await fetch(new Request('http://127.0.0.1/graphql', { method: 'POST', body, headers }));
    const text = await response.text();
    if (response.status !== 200 || text.includes('"errors"'))
      throw new Error(`in-process answer ${response.status}: ${text.slice(0, 300)}`);
  };
  let left = total;
  const before = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) await once();
    }),
  );
  const used = process.cpuUsage(before);
  return (used.user + used.system) / total;
}

export async function inProcessPhase(_env: unknown, options: Options): Promise<InProcessResult> {
  const assembled = await assembleGateway(
    resolveGatewayConfig({
      lambda: { kind: 'endpoint', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } },
      graphiql: false,
    }),
    { invoker: instantInvoker },
  );
  try {
    const yoga = createYoga({
      graphiql: false,
      schema: createSchema({
        typeDefs: PEER_TYPE_DEFS,
        resolvers: peerResolvers({
          invokeFunction: () => Promise.resolve(INSTANT),
          invokeFunctions: (inputs) => Promise.resolve(inputs.map(() => INSTANT)),
        }),
      }),
    });
    const servers: Readonly<Record<'gateway' | 'yoga', Fetch>> = {
      gateway: (request) => assembled.gateway.fetch(request),
      yoga: (request) => yoga.fetch(request),
    };
    const single = JSON.stringify({ query: INVOKE_QUERY, variables: { input: { functionName: 'noop' } } });
    const fanout = JSON.stringify({
      query: BATCH_QUERY,
      variables: { inputs: Array.from({ length: options.fanout }, () => ({ functionName: 'noop' })) },
    });
    const singleN = Math.max(200, options.concurrentN);
    const fanoutN = Math.max(20, Math.round(singleN / options.fanout));
    const figures = {
      gateway: { single: [] as number[], fanout: [] as number[] },
      yoga: { single: [] as number[], fanout: [] as number[] },
    };
    for (const name of ['gateway', 'yoga'] as const) {
      await cpuPerRequest(servers[name], single, Math.min(500, singleN), options.concurrency);
      await cpuPerRequest(servers[name], fanout, Math.min(20, fanoutN), 4);
    }
    for (let number = 1; number <= options.rounds; number += 1) {
      const order = number % 2 === 1 ? (['gateway', 'yoga'] as const) : (['yoga', 'gateway'] as const);
      for (const name of order) {
        figures[name].single.push(await cpuPerRequest(servers[name], single, singleN, options.concurrency));
        figures[name].fanout.push((await cpuPerRequest(servers[name], fanout, fanoutN, 4)) / options.fanout);
      }
    }
    const gatewaySingle = median(figures.gateway.single);
    const yogaSingle = median(figures.yoga.single);
    const gatewayFanout = median(figures.gateway.fanout);
    const yogaFanout = median(figures.yoga.fanout);
    return {
      single: { gateway: round(gatewaySingle, 1), yoga: round(yogaSingle, 1), addedUs: round(gatewaySingle - yogaSingle, 1) },
      fanout: {
        size: options.fanout,
        gateway: round(gatewayFanout, 1),
        yoga: round(yogaFanout, 1),
        addedUs: round(gatewayFanout - yogaFanout, 1),
      },
    };
  } finally {
    await assembled.close();
  }
}
