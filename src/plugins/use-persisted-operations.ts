/**
 * Persisted operations over HTTP, through `@graphql-yoga/plugin-persisted-operations`, with the
 * rule and the refusals of src/persisted-operations.ts (which the other transports apply too).
 */
import { usePersistedOperations as useYogaPersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { Plugin } from 'graphql-yoga';
import {
  bareHash,
  type PersistedOperationsConfig,
  persistedOperationHash,
  persistedQueryIdRequired,
  persistedQueryNotFound,
  persistedQueryOnly,
} from '../persisted-operations.ts';

export function usePersistedOperations(config: PersistedOperationsConfig): Plugin {
  return useYogaPersistedOperations({
    allowArbitraryOperations: config.allowArbitraryOperations,
    getPersistedOperation: (hash) => config.operations.get(bareHash(hash)) ?? null,
    customErrors: {
      notFound: (payload) => persistedQueryNotFound(persistedOperationHash(payload.params.extensions) ?? ''),
      persistedQueryOnly: () => persistedQueryOnly(),
      keyNotFound: () => persistedQueryIdRequired(),
    },
  });
}
