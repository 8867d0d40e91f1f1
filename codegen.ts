/**
 * GraphQL Code Generator: typed documents (TypedDocumentNode) for every operation written with
 * `graphql(...)` in the tests and examples, from the committed schema.graphql; the persisted
 * operations manifest of those documents (`persisted-documents.json`, sha256 hash → document, which
 * the gateway's `persistedOperations.manifest` loads); and the `possibleTypes` map Apollo Client's
 * cache needs to match fragments on unions and interfaces.
 * `npm run codegen` regenerates; a test fails when the generated files are stale.
 *
 * The output goes to `generated/`, beside schema.graphql, not into test/: examples (what users copy)
 * import it, and test/ is no place for them to import from. Not into src/ either: these are client
 * files, which the gateway never imports (it reads the manifest by path, from its configuration).
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  // Not the functions written as for SAM or serverless: some hold syntax errors on purpose.
  documents: ['test/**/*.ts', 'examples/**/*.ts', '!test/fixtures/functions/node-handlers/**'],
  ignoreNoDocuments: false,
  generates: {
    'generated/graphql/': {
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
    'generated/possible-types.ts': {
      plugins: ['fragment-matcher'],
      config: { apolloClientVersion: 3, useExplicitTyping: true },
    },
  },
};

export default config;
