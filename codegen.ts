/**
 * GraphQL Code Generator: typed documents (TypedDocumentNode) for every operation written with
 * `graphql(...)` in the tests and examples, from the committed schema.graphql; the persisted
 * operations manifest of those documents (`persisted-documents.json`, sha256 hash → document, which
 * the gateway's `persistedOperations.manifest` loads); and the `possibleTypes` map Apollo Client's
 * cache needs to match fragments on unions and interfaces.
 * `npm run codegen` regenerates; a test fails when the generated files are stale.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['test/**/*.ts', 'examples/**/*.ts', '!test/generated/**'],
  ignoreNoDocuments: false,
  generates: {
    'test/generated/graphql/': {
      preset: 'client',
      // Each document carries its hash (`document.__meta__.hash`), the same as the manifest's key.
      presetConfig: { fragmentMasking: false, persistedDocuments: { mode: 'embedHashInDocument', hashAlgorithm: 'sha256' } },
      config: {
        scalars: { JSON: 'unknown' },
        enumsAsTypes: true,
        useTypeImports: true,
        importExtension: '.ts',
      },
    },
    'test/generated/possible-types.ts': {
      plugins: ['fragment-matcher'],
      config: { apolloClientVersion: 3, useExplicitTyping: true },
    },
  },
};

export default config;
