/**
 * `npm run local-lambda`: the local Lambda on its own. The only place that reads argv and
 * process.env for it, and the only place that listens.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { FunctionDefinition } from './definitions.ts';
import { FunctionDefinitionError } from './definitions.ts';
import { LocalLambdaConfigError } from './config.ts';
import { startLocalLambda } from './server.ts';

const DEFAULT_FUNCTIONS = fileURLToPath(new URL('../../examples/functions', import.meta.url));
const DEFAULT_PORT = 9001;

const HELP = `Usage: npm run local-lambda -- [options]

A local AWS Lambda endpoint: the real AWS SDKs and CLI invoke its functions unchanged.

Options:
  --port <n>             port to listen on (default: $PORT, else ${DEFAULT_PORT}; 0 picks a free one)
  --host <addr>          address to bind (default: 127.0.0.1)
  --functions <path>     folder with functions.json, or the file (default: examples/functions)
  --region <name>        region in ARNs (default: us-east-1)
  --retry-delays <a,b>   Event retry delays in ms (default: 60000,120000, as AWS)
  --quiet                do not print function logs
  -h, --help             show this help
`;

function fail(message: string): never {
  process.stderr.write(`local-lambda: ${message}\n`);
  process.exit(1);
}

function parsePort(value: string | undefined, source: string): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`${source} must be a port number 0-65535, got '${value}'`);
  return port;
}

function describe(definition: FunctionDefinition): string {
  const parts = [definition.name.padEnd(16)];
  if (definition.versions.size > 0) parts.push(`versions ${[...definition.versions.keys()].join(', ')}`);
  if (definition.aliases.size > 0) parts.push(`aliases ${[...definition.aliases].map(([a, v]) => `${a}→${v}`).join(', ')}`);
  if (definition.reservedConcurrency !== undefined) parts.push(`reserved concurrency ${definition.reservedConcurrency}`);
  parts.push(`timeout ${definition.latest.timeoutSeconds}s`);
  return parts.join('  ');
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        functions: { type: 'string' },
        region: { type: 'string' },
        'retry-delays': { type: 'string' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${HELP}`);
  }
})();

if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

let retryDelaysMs: [number, number] | undefined;
if (values['retry-delays'] !== undefined) {
  const delays = values['retry-delays'].split(',').map(Number);
  if (delays.length !== 2 || delays.some((d) => !Number.isInteger(d) || d < 0)) {
    fail(`--retry-delays must be two non-negative integers in ms, e.g. 1000,2000; got '${values['retry-delays']}'`);
  }
  retryDelaysMs = [delays[0] ?? 0, delays[1] ?? 0];
}

const functions = path.resolve(values.functions ?? DEFAULT_FUNCTIONS);
const logger = pino({ name: 'local-lambda' });
try {
  const running = await startLocalLambda({
    functions,
    port: parsePort(values.port, '--port') ?? parsePort(process.env.PORT, 'PORT') ?? DEFAULT_PORT,
    host: values.host ?? '127.0.0.1',
    ...(values.region === undefined ? {} : { region: values.region }),
    ...(retryDelaysMs === undefined ? {} : { async: { retryDelaysMs } }),
    logger,
    ...(values.quiet ? {} : {
      logSink: ({ functionName, text }) => {
        for (const line of text.split('\n')) if (line !== '') process.stdout.write(`[${functionName}] ${line}\n`);
      },
    }),
  });
  const { endpoint, lambda } = running;
  process.stdout.write(
    `Local Lambda listening on ${endpoint} (region ${lambda.config.region}, account ${lambda.config.accountId})\n` +
      `Functions from ${functions}:\n` +
      lambda.registry.list().map((d) => `  ${describe(d)}\n`).join('') +
      `\nTry it:\n  aws lambda invoke --endpoint-url ${endpoint} --function-name echo \\\n` +
      `    --cli-binary-format raw-in-base64-out --payload '{"hello":"world"}' --log-type Tail out.json\n`,
  );
  const stop = (signal: string): void => {
    process.stdout.write(`\n${signal}: finishing in-flight invocations…\n`);
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
} catch (error) {
  if (error instanceof FunctionDefinitionError || error instanceof LocalLambdaConfigError) fail(error.message);
  throw error;
}
