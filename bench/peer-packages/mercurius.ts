/** Mercurius on Fastify 5 as bench/support/mercurius-server.ts uses them, resolved against this workspace's graphql 16. */
export { default as fastify } from 'fastify';
export { default as mercurius } from 'mercurius';
