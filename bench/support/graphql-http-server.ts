/**
 * graphql-http + graphql-js for `bench/peers`: the reference implementation of GraphQL over HTTP
 * on a node:http server, a schema from `buildSchema` (graphql 17) and the peers' operations
 * (`peer-schema.ts`) as its root value. First argument: the local Lambda's endpoint (127.0.0.1 only).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema } from 'graphql';
import { createHandler } from 'graphql-http/lib/use/http';
import { closeThenExit, forkedWithGc, runChild, serveParent } from '../harness/child.ts';
import { localLambdaClient } from './load.ts';
import { PEER_TYPE_DEFS, peerEndpoint, peerOperations, peerRootValue } from './peer-schema.ts';

async function main(): Promise<void> {
  const gc = forkedWithGc();
  const client = localLambdaClient(peerEndpoint('graphql-http-server.ts'));
  const handler = createHandler({ schema: buildSchema(PEER_TYPE_DEFS), rootValue: peerRootValue(peerOperations(client)) });
  const server = createServer((request, response) => {
    if (request.url?.startsWith('/graphql') === true) void handler(request, response);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = closeThenExit(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    client.destroy();
  });
  serveParent({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, gc, close, methods: {} });
}

runChild(main);
