// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import eslintConfigPrettier from 'eslint-config-prettier/flat';
import tseslint from 'typescript-eslint';

/**
 * The layering of src/, enforced (issue 11; review §5.3). Each entry is one `no-restricted-imports`
 * pattern on the import's own (relative) spelling. Flat config replaces a rule's options in a later
 * block instead of merging them, so every block below lists all the patterns that apply to it.
 */
const layers = {
  /** Plugins are leaves that only the assembly composes; shared helpers live outside plugins/. */
  plugins: {
    regex: '(^|/)plugins/',
    message: 'Only src/gateway.ts (the assembly) and src/server.ts import plugins; move a shared helper out of src/plugins/.',
  },
  /** A plugin does not reach into another plugin: what two of them share lives outside plugins/. */
  siblingPlugin: {
    regex: '^\\./',
    message: 'A plugin does not import another plugin; move what they share out of src/plugins/.',
  },
  /** lambda/ is the core: the invoker, its errors and outcomes. Everything else builds on it. */
  lambda: {
    regex:
      '^\\.\\./(schema|plugins|invocations|observability|idempotency|access|async|transport|auth|limits|gateway|server|context|config)(/|\\.ts$)',
    message: 'src/lambda/ imports nothing above it: declare the interface it needs in lambda/ and let the caller pass it in.',
  },
  /** protocol/ is the wire, shared by both sides: it depends on nothing else in src/. */
  protocol: {
    regex: '^\\.\\./',
    message: 'src/protocol/ imports nothing from the rest of src/ (both the gateway and the local Lambda depend on it).',
  },
  /** The local Lambda stands alone (it runs without a gateway): protocol/ and generic helpers only. */
  localLambda: {
    regex: '^\\.\\./(schema|plugins|context|gateway|server|auth|access|idempotency|observability|transport)(/|\\.ts$)',
    message: 'src/local-lambda/ imports nothing from the gateway: share wire formats through src/protocol/.',
  },
};
/** @param {Array<{ regex: string; message: string }>} patterns */
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'coverage/',
      'test-artifacts/',
      'generated/',
      // Syntax errors on purpose: the local Lambda must report them as AWS does.
      'test/fixtures/functions/node-handlers/*syntax-error.*',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    // The assembly: the only files that put plugins together.
    ignores: ['src/gateway.ts', 'src/server.ts'],
    rules: restrict(layers.plugins),
  },
  { files: ['src/plugins/**/*.ts'], rules: restrict(layers.plugins, layers.siblingPlugin) },
  { files: ['src/lambda/**/*.ts'], rules: restrict(layers.plugins, layers.lambda) },
  { files: ['src/protocol/**/*.ts'], rules: restrict(layers.protocol) },
  { files: ['src/local-lambda/**/*.ts'], rules: restrict(layers.plugins, layers.localLambda) },
  {
    // Plain CommonJS fixtures are not part of the TypeScript project, so no type-aware rules.
    files: ['**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    // The dashboard's page scripts: plain browser modules, served as they are (no build step).
    files: ['src/dashboard/**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { sourceType: 'module', globals: { ...globals.browser } },
  },
  {
    // Handlers written as for SAM or serverless (enums, extensionless imports, CommonJS .js):
    // user code the local Lambda must run, outside the TypeScript project (tsconfig.json).
    files: ['test/fixtures/functions/node-handlers/**'],
    extends: [tseslint.configs.disableTypeChecked],
    rules: { '@typescript-eslint/no-namespace': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // No package.json "type" in that folder: its top-level .js files are CommonJS, as on AWS.
    files: ['test/fixtures/functions/node-handlers/*.js'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    // A handler run by AWS's own runtime client (aws-lambda-ric) as a custom runtime: plain ESM,
    // outside the TypeScript project.
    files: ['test/fixtures/runtimes-ric/**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // Demo and fixture handlers are written the way users write Lambda functions.
    files: ['examples/**', 'test/fixtures/**'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  // Last: formatting is Prettier's (npm run format), so no stylistic rule may disagree with it.
  eslintConfigPrettier,
);
