/** Apollo Server 5 as bench/support/apollo-server.ts uses it, resolved against this workspace's graphql 16. */
export { ApolloServer } from '@apollo/server';
export { startStandaloneServer } from '@apollo/server/standalone';
// Apollo's own schema building goes through @graphql-tools, which resolves to the root graphql 17:
// the schema is built here, with the graphql 16 Apollo Server runs on.
export { buildSchema } from 'graphql';
