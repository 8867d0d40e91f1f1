/**
 * Apollo Server 5 for `bench/peers`, as its docs start it: `startStandaloneServer` (its own
 * node:http server) with the peers' schema and operations as its root value (`peer-schema.ts`) and its defaults
 * otherwise (landing page and CSRF prevention included; the benchmark POSTs JSON, which CSRF
 * prevention lets through). First argument: the local Lambda's endpoint (127.0.0.1 only).
 */
import { ApolloServer, buildSchema, startStandaloneServer } from 'lambda-graphql-gateway-bench-peers/apollo';
import { closeThenExit, forkedWithGc, runChild, serveParent } from '../harness/child.ts';
import { localLambdaClient } from './load.ts';
import { PEER_TYPE_DEFS, peerEndpoint, peerOperations, peerRootValue } from './peer-schema.ts';

async function main(): Promise<void> {
  const gc = forkedWithGc();
  const client = localLambdaClient(peerEndpoint('apollo-server.ts'));
  const server = new ApolloServer({ schema: buildSchema(PEER_TYPE_DEFS), rootValue: peerRootValue(peerOperations(client)) });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  const close = closeThenExit(async () => {
    await server.stop();
    client.destroy();
  });
  // The standalone server answers on every path; it announces itself as localhost.
  serveParent({ url: `http://127.0.0.1:${new URL(url).port}/graphql`, gc, close, methods: {} });
}

runChild(main);
