/**
 * `npm start`: the gateway, by default with the built-in local Lambda and the demo functions.
 * The only place that reads argv and process.env for the gateway, and the only place it listens.
 */
import { pino } from 'pino';
import { commandLine, onStopSignal, parseCount, parseRetryDelays, printFunctionLogs } from './cli-support.ts';
import { DEFAULT_PORT, GatewayConfigError, type GatewayMode, type LambdaTargetOptions, resolveGatewayConfig } from './config.ts';
import { loadConfigFile } from './config-file.ts';
import { FunctionDefinitionError } from './local-lambda/definitions.ts';
import { startGatewayServer } from './server.ts';

const HELP = `Usage: npm start -- [options]

A GraphQL gateway for AWS Lambda. With no Lambda option it runs the built-in local Lambda with the
demo functions; AWS is used only when you ask for it.

Options:
  --config <file>          a configuration file (.json, .yaml, .ts…); flags override it
  --mode <mode>            development (default: open, GraphiQL on) or production (allowlist
                           required, GraphiQL and introspection off unless enabled); $GATEWAY_MODE
  --port <n>               port to listen on (default: $PORT, else port in --config, else ${DEFAULT_PORT};
                           0 picks a free one)
  --host <addr>            address to bind (default: host in --config, else 127.0.0.1; 0.0.0.0 in
                           production)
  --functions <path>       functions for the built-in local Lambda (default: examples/functions)
  --no-watch               do not reload the local Lambda's functions on edit (development reloads
                           a changed handler, helper or functions.json at once; production never)
  --lambda-endpoint <url>  use a Lambda-compatible endpoint instead (LocalStack, a remote local Lambda)
  --lambda-endpoint-local  the endpoint checks no signatures: sign with placeholder credentials
                           (the default for a loopback endpoint; others use the SDK's chain)
  --aws-region <region>    use AWS Lambda in that region, with the SDK's default credentials
  --region <region>        region to sign requests for with --lambda-endpoint (default: us-east-1)
  --concurrency <n>        invocations of one function in flight at once; more wait for a slot
                           (default: 250, lowered to a function's reserved concurrency)
  --total-concurrency <n>  invocations in flight at once across all functions, and sockets
                           (default: 1000, Lambda's default account limit)
  --timeout-ms <n>         the gateway's deadline for one invocation (default: 60000)
  --max-batch <n>          most inputs one invokeFunctions takes (default: 100)
  --catalog-cache-ms <n>   how long the function catalog keeps Lambda's answers (default: 5000;
                           0 asks Lambda every time); catalog.cacheTtlMs in --config
  --retry-delays <a,b>     local Lambda: ms before Event retries (default: 60000,120000, as AWS)
  --redis-url <url>        share invocation records and events through Redis (default: $REDIS_URL;
                           without it they stay in this process)
  --destination-secret <s> secret senders of destination records must present (default:
                           $DESTINATION_SECRET, else random; the built-in local Lambda is told it)
  --no-graphiql            do not serve GraphiQL
  --no-dashboard           do not serve the live dashboard at /dashboard
  -h, --help               show this help

Typed fields: the typedFields section of a --config file declares GraphQL fields backed by
functions — on Query (reads, deduplicated and batched per operation), Mutation (writes) or an
object type (User.orders) — with arguments and results in JSON Schema (files relative to the
configuration file). With the demo functions the demo's user, User.orders and placeOrder are
served. \`npm run print-schema -- --config <file>\` prints what a configuration serves; the README's
"Typed fields backed by functions" has the contract.
`;

const { values, fail } = commandLine('gateway', HELP, {
  config: { type: 'string' },
  mode: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  functions: { type: 'string' },
  'no-watch': { type: 'boolean', default: false },
  'lambda-endpoint': { type: 'string' },
  'lambda-endpoint-local': { type: 'boolean', default: false },
  'aws-region': { type: 'string' },
  region: { type: 'string' },
  concurrency: { type: 'string' },
  'total-concurrency': { type: 'string' },
  'timeout-ms': { type: 'string' },
  'max-batch': { type: 'string' },
  'catalog-cache-ms': { type: 'string' },
  'retry-delays': { type: 'string' },
  'redis-url': { type: 'string' },
  'destination-secret': { type: 'string' },
  'no-graphiql': { type: 'boolean', default: false },
  'no-dashboard': { type: 'boolean', default: false },
});

if (values['lambda-endpoint'] !== undefined && values['aws-region'] !== undefined) {
  fail('--lambda-endpoint and --aws-region are alternatives; give one');
}
if (values['lambda-endpoint-local'] && values['lambda-endpoint'] === undefined)
  fail('--lambda-endpoint-local goes with --lambda-endpoint <url>');
let lambda: LambdaTargetOptions = { kind: 'local', ...(values.functions === undefined ? {} : { functions: values.functions }) };
if (values['lambda-endpoint'] !== undefined) {
  lambda = {
    kind: 'endpoint',
    endpoint: values['lambda-endpoint'],
    ...(values.region === undefined ? {} : { region: values.region }),
    ...(values['lambda-endpoint-local'] ? { local: true } : {}),
  };
} else if (values['aws-region'] !== undefined) {
  lambda = { kind: 'aws', region: values['aws-region'] };
}

const retryDelaysMs = parseRetryDelays(values['retry-delays'], fail);
// Flags over the environment over the configuration file over the defaults.
const port = parseCount(values.port, '--port', fail, { max: 65_535 }) ?? parseCount(process.env.PORT, 'PORT', fail, { max: 65_535 });
const logger = pino({ name: 'gateway' });
/** Where the gateway tried to listen, once known: a refusal to listen names it. */
let listen: { port: number; host: string } | undefined;
try {
  const perFunction = parseCount(values.concurrency, '--concurrency', fail);
  const total = parseCount(values['total-concurrency'], '--total-concurrency', fail);
  const timeout = parseCount(values['timeout-ms'], '--timeout-ms', fail);
  const maxBatch = parseCount(values['max-batch'], '--max-batch', fail);
  const catalogCacheMs = parseCount(values['catalog-cache-ms'], '--catalog-cache-ms', fail, { min: 0 });
  const redisUrl = values['redis-url'] ?? process.env.REDIS_URL;
  const destinationSecret = values['destination-secret'] ?? process.env.DESTINATION_SECRET;
  const file = values.config === undefined ? {} : await loadConfigFile(values.config);
  const mode = values.mode ?? process.env.GATEWAY_MODE;
  const lambdaFromFlags = values.functions !== undefined || values['lambda-endpoint'] !== undefined || values['aws-region'] !== undefined;
  let chosenLambda = lambdaFromFlags || file.lambda === undefined ? lambda : file.lambda;
  if (values['no-watch']) {
    if (chosenLambda.kind === 'local') chosenLambda = { ...chosenLambda, watch: false };
    else fail('--no-watch is for the built-in local Lambda (it watches its functions folder)');
  }
  const config = resolveGatewayConfig({
    ...file,
    ...(mode === undefined ? {} : { mode: mode as GatewayMode }),
    ...(port === undefined ? {} : { port }),
    ...(values.host === undefined ? {} : { host: values.host }),
    lambda: chosenLambda,
    ...(values['no-graphiql'] ? { graphiql: false } : {}),
    ...(values['no-dashboard'] ? { dashboard: false } : {}),
    ...(perFunction === undefined && total === undefined
      ? {}
      : {
          concurrency: {
            ...file.concurrency,
            ...(perFunction === undefined ? {} : { perFunction }),
            ...(total === undefined ? {} : { total }),
          },
        }),
    ...(timeout === undefined ? {} : { invokeTimeoutMs: timeout }),
    ...(maxBatch === undefined ? {} : { maxBatchSize: maxBatch }),
    ...(catalogCacheMs === undefined ? {} : { catalog: { ...file.catalog, cacheTtlMs: catalogCacheMs } }),
    ...(redisUrl === undefined || redisUrl === '' ? {} : { redis: { url: redisUrl } }),
    ...(destinationSecret === undefined ? {} : { destinations: { secret: destinationSecret } }),
  });
  listen = { port: config.port, host: config.host };
  const running = await startGatewayServer(config, {
    logger,
    ...listen,
    localLambda: {
      logger: pino({ name: 'local-lambda' }),
      ...(retryDelaysMs === undefined ? {} : { async: { retryDelaysMs } }),
      logSink: printFunctionLogs,
    },
  });
  const target = config.lambda;
  const where =
    target.kind === 'local'
      ? `the built-in local Lambda at ${running.lambdaEndpoint ?? ''} (functions: ${target.functions}: ${
          running.localLambda?.lambda.registry
            .list()
            .map((d) => d.name)
            .join(', ') ?? ''
        }; ${target.watch ? 'reloaded on edit' : 'not reloaded on edit'})`
      : target.kind === 'endpoint'
        ? `the Lambda endpoint ${target.endpoint} (region ${target.region})` +
          (target.local
            ? `,\n  ${target.placeholderCredentials ? 'signed with placeholder credentials: it is taken for a local Lambda, which checks no signatures, and' : 'taken for a local Lambda, which'}` +
              ' is told to deliver EVENT outcomes here (lambda.local: false in the configuration says otherwise)'
            : '')
        : `AWS Lambda in ${target.region}`;
  // Before the ready line: whoever reads it may signal at once.
  onStopSignal((signal) => {
    logger.info({ signal }, 'shutting down: finishing requests under way');
    return running.close();
  });
  process.stdout.write(
    `GraphQL gateway listening on ${running.url}${config.graphiql ? ' (open it in a browser for GraphiQL)' : ''}\n` +
      `Invoking functions through ${where}\n` +
      `Destination records: POST ${running.destinationsUrl}; invocation records ${config.redis === undefined ? 'in memory' : `in Redis at ${config.redis.url}`}\n` +
      (config.dashboard ? `Live dashboard: ${new URL('/dashboard', running.url).href}\n` : ''),
  );
} catch (error) {
  if (error instanceof GatewayConfigError || error instanceof FunctionDefinitionError) fail(error.message);
  const { code, syscall } = error as NodeJS.ErrnoException;
  if (syscall === 'listen' && listen !== undefined) {
    const { port: busy, host } = listen;
    if (code === 'EADDRINUSE')
      fail(`port ${busy} on ${host} is already in use; stop what is using it, or choose another port with --port <n> (0 picks a free one)`);
    if (code === 'EACCES') fail(`not allowed to listen on port ${busy} on ${host}; choose a port above 1023 with --port <n>`);
    if (code === 'EADDRNOTAVAIL') fail(`cannot listen on ${host}: not an address of this machine; choose another with --host <addr>`);
  }
  throw error;
}
