/**
 * Persisted operations: the gateway runs the operations of a manifest — the one GraphQL Code
 * Generator writes (`persisted-documents.json`: sha256 hash → document) — named by their hash, and
 * with `allowArbitraryOperations: false` nothing else. Clients send the hash the way Apollo's
 * persisted-queries link does: `extensions: { persistedQuery: { version: 1, sha256Hash } }`.
 *
 * HTTP (yoga's own SSE on /graphql included) goes through `@graphql-yoga/plugin-persisted-operations`
 * (plugins/use-persisted-operations.ts); graphql-ws and graphql-sse (/graphql/stream) operations do
 * not pass yoga's `onParams`, so those transports apply
 * the same rule with `resolvePersistedOperation` — one rule on every transport. This module is
 * that rule, apart from any plugin, so that the configuration and the transports can use it.
 */
import type { GraphQLError } from 'graphql';
import { gatewayError } from './errors.ts';

export interface PersistedOperationsConfig {
  /** Hash (hex sha256 of the document text, without a `sha256:` prefix) → document text. */
  readonly operations: ReadonlyMap<string, string>;
  /** Whether documents sent in full (not by hash) still run. */
  readonly allowArbitraryOperations: boolean;
}

/** A hash without the `sha256:` prefix GraphQL Code Generator writes: both spellings name one operation. */
export function bareHash(hash: string): string {
  return hash.startsWith('sha256:') ? hash.slice('sha256:'.length) : hash;
}

/** The hash a request names its operation by, when it does. */
export function persistedOperationHash(extensions: unknown): string | undefined {
  if (typeof extensions !== 'object' || extensions === null) return undefined;
  const persisted = (extensions as { persistedQuery?: unknown }).persistedQuery;
  if (typeof persisted !== 'object' || persisted === null) return undefined;
  const { version, sha256Hash } = persisted as { version?: unknown; sha256Hash?: unknown };
  return version === 1 && typeof sha256Hash === 'string' ? sha256Hash : undefined;
}

export function persistedQueryNotFound(hash: string): GraphQLError {
  return gatewayError(
    'PERSISTED_QUERY_NOT_FOUND',
    `No persisted operation has the hash ${JSON.stringify(hash)}; this gateway runs only the operations of its manifest`,
  );
}

export function persistedQueryOnly(): GraphQLError {
  return gatewayError(
    'PERSISTED_QUERY_ONLY',
    'This gateway runs only persisted operations: send extensions.persistedQuery.sha256Hash with the hash from the codegen manifest instead of the document',
  );
}

export function persistedQueryIdRequired(): GraphQLError {
  return gatewayError(
    'PERSISTED_QUERY_ID_REQUIRED',
    'The request has neither a query nor extensions.persistedQuery.sha256Hash naming a persisted operation',
  );
}

/**
 * The document a request runs, by the same rules as the HTTP plugin: its hash looked up in the
 * manifest, or its own query when arbitrary operations are allowed. Throws the typed error otherwise.
 */
export function resolvePersistedOperation(
  config: PersistedOperationsConfig,
  request: { query?: string | null | undefined; extensions?: unknown },
): string {
  const hash = persistedOperationHash(request.extensions);
  if (request.query !== undefined && request.query !== null && request.query !== '') {
    if (!config.allowArbitraryOperations) throw persistedQueryOnly();
    return request.query;
  }
  if (hash === undefined) throw persistedQueryIdRequired();
  const document = config.operations.get(bareHash(hash));
  if (document === undefined) throw persistedQueryNotFound(hash);
  return document;
}
