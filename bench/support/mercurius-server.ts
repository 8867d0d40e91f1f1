/**
 * Mercurius 16 on Fastify 5 for `bench/peers`: `fastify()` (no logger) with the mercurius plugin,
 * the peers' schema and resolvers (`peer-schema.ts`) and its defaults otherwise (no JIT, no
 * GraphiQL). First argument: the local Lambda's endpoint (127.0.0.1 only).
 */
import { fastify, mercurius } from 'lambda-graphql-gateway-bench-peers/mercurius';
import { closeThenExit, forkedWithGc, runChild, serveParent } from '../harness/child.ts';
import { localLambdaClient } from './load.ts';
import { PEER_TYPE_DEFS, peerEndpoint, peerOperations, peerResolvers } from './peer-schema.ts';

async function main(): Promise<void> {
  const gc = forkedWithGc();
  const client = localLambdaClient(peerEndpoint('mercurius-server.ts'));
  const app = fastify();
  await app.register(mercurius, { schema: PEER_TYPE_DEFS, resolvers: peerResolvers(peerOperations(client)) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('fastify is not listening on a port');
  const close = closeThenExit(async () => {
    await app.close();
    client.destroy();
  });
  serveParent({ url: `http://127.0.0.1:${address.port}/graphql`, gc, close, methods: {} });
}

runChild(main);
