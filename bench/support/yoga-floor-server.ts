/**
 * The reference point of `bench/gateway`, and bare yoga in `bench/peers`: the least a
 * graphql-yoga server in front of the SDK can cost. A bare `createYoga` (its defaults, no plugins
 * of ours) with the peers' schema (`peer-schema.ts`), whose resolvers make the same SDK call as the
 * benchmark's direct path (no deadline, no concurrency cap, no metrics, no access rules, no
 * dataloader). It answers the same documents as the gateway, so the client does the same work for both.
 *
 * Run as a separate process like the gateway, with the same IPC protocol (`harness/child-protocol.ts`);
 * the first argument is the local Lambda's endpoint (127.0.0.1 only).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';
import { closeThenExit, forkedWithGc, runChild, serveParent } from '../harness/child.ts';
import { localLambdaClient } from './load.ts';
import { PEER_TYPE_DEFS, peerEndpoint, peerOperations, peerResolvers } from './peer-schema.ts';

async function main(): Promise<void> {
  const gc = forkedWithGc();
  const client = localLambdaClient(peerEndpoint('yoga-floor-server.ts'));
  const yoga = createYoga({
    graphiql: false,
    schema: createSchema({ typeDefs: PEER_TYPE_DEFS, resolvers: peerResolvers(peerOperations(client)) }),
  });
  const server = createServer((request, response) => void yoga(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = closeThenExit(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    client.destroy();
  });
  serveParent({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, gc, close, methods: {} });
}

runChild(main);
