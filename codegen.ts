/**
 * GraphQL Code Generator: typed documents (TypedDocumentNode) for every operation written with
 * `graphql(...)` in the tests and examples, from the committed schema.graphql.
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
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: { JSON: 'unknown' },
        enumsAsTypes: true,
        useTypeImports: true,
        importExtension: '.ts',
      },
    },
  },
};

export default config;
