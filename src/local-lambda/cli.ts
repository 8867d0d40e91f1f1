/**
 * `npm run local-lambda`: the local Lambda on its own. The only place that reads argv and
 * process.env for it, and the only place that listens.
 */
import path from 'node:path';
import { pino } from 'pino';
import { commandLine, onStopSignal, parseCount, parseRetryDelays, printFunctionLogs } from '../cli-support.ts';
import type { AliasDefinition, FunctionDefinition } from './definitions.ts';
import { DEMO_FUNCTIONS, FunctionDefinitionError } from './definitions.ts';
import { LocalLambdaConfigError } from './config.ts';
import { SECRET_HEADER } from '../protocol/destination-headers.ts';
import { startLocalLambda } from './server.ts';

const DEFAULT_PORT = 9001;

const HELP = `Usage: npm run local-lambda -- [options]

A local AWS Lambda endpoint: the real AWS SDKs and CLI invoke its functions unchanged.

Options:
  --port <n>             port to listen on (default: $PORT, else ${DEFAULT_PORT}; 0 picks a free one)
  --host <addr>          address to bind (default: 127.0.0.1)
  --functions <path>     folder with functions.json, or the file (default: examples/functions)
  --no-watch             do not reload on edit (by default a changed handler, a file next to it or
                         functions.json takes effect at the next invocation, without a restart)
  --region <name>        region in ARNs (default: us-east-1)
  --retry-delays <a,b>   Event retry delays in ms (default: 60000,120000, as AWS)
  --destination-url <u>  where Event destination records go when the invoking gateway did not
                         say (a gateway started with --lambda-endpoint on this machine says so);
                         e.g. http://127.0.0.1:4000/lambda-destinations (default: $DESTINATION_URL)
  --destination-secret <s>
                         the gateway's destination secret, sent with those records (default:
                         $DESTINATION_SECRET; give the gateway the same one)
  --quiet                do not print function logs
  -h, --help             show this help
`;

function describe(definition: FunctionDefinition): string {
  const parts = [definition.name.padEnd(16)];
  if (definition.versions.size > 0) parts.push(`versions ${[...definition.versions.keys()].join(', ')}`);
  if (definition.aliases.size > 0)
    parts.push(`aliases ${[...definition.aliases].map(([name, alias]) => describeAlias(name, alias)).join(', ')}`);
  if (definition.reservedConcurrency !== undefined) parts.push(`reserved concurrency ${definition.reservedConcurrency}`);
  parts.push(`timeout ${definition.latest.timeoutSeconds}s`);
  return parts.join('  ');
}

/** `live→1`, or `live→1 (10% to 2)` while traffic shifts. */
function describeAlias(name: string, alias: AliasDefinition): string {
  const shifted = [...alias.additionalVersionWeights].map(([version, weight]) => `${Math.round(weight * 1000) / 10}% to ${version}`);
  return shifted.length === 0 ? `${name}→${alias.functionVersion}` : `${name}→${alias.functionVersion} (${shifted.join(', ')})`;
}

/** An unset and an empty variable mean the same: not given. */
function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

const { values, fail } = commandLine('local-lambda', HELP, {
  port: { type: 'string' },
  host: { type: 'string' },
  functions: { type: 'string' },
  'no-watch': { type: 'boolean', default: false },
  region: { type: 'string' },
  'retry-delays': { type: 'string' },
  'destination-url': { type: 'string' },
  'destination-secret': { type: 'string' },
  quiet: { type: 'boolean', default: false },
});
const retryDelaysMs = parseRetryDelays(values['retry-delays'], fail);
const destinationUrl = values['destination-url'] ?? nonEmpty(process.env.DESTINATION_URL);
const destinationSecret = values['destination-secret'] ?? nonEmpty(process.env.DESTINATION_SECRET);
if (destinationUrl !== undefined && !(URL.canParse(destinationUrl) && /^https?:$/.test(new URL(destinationUrl).protocol))) {
  fail(`--destination-url must be an http(s) URL such as http://127.0.0.1:4000/lambda-destinations, got '${destinationUrl}'`);
}

const functions = path.resolve(values.functions ?? DEMO_FUNCTIONS);
const logger = pino({ name: 'local-lambda' });
try {
  const running = await startLocalLambda({
    functions,
    port:
      parseCount(values.port, '--port', fail, { max: 65_535 }) ??
      parseCount(process.env.PORT, 'PORT', fail, { max: 65_535 }) ??
      DEFAULT_PORT,
    host: values.host ?? '127.0.0.1',
    watch: !values['no-watch'],
    ...(values.region === undefined ? {} : { region: values.region }),
    async: {
      ...(retryDelaysMs === undefined ? {} : { retryDelaysMs }),
      ...(destinationUrl === undefined ? {} : { defaultOnSuccess: destinationUrl, defaultOnFailure: destinationUrl }),
      ...(destinationSecret === undefined ? {} : { deliveryHeaders: { [SECRET_HEADER]: destinationSecret } }),
    },
    logger,
    ...(values.quiet ? {} : { logSink: printFunctionLogs }),
  });
  const { endpoint, lambda } = running;
  // Before the ready line: whoever reads it may signal at once.
  onStopSignal((signal) => {
    process.stdout.write(`\n${signal}: finishing in-flight invocations…\n`);
    return running.close();
  });
  process.stdout.write(
    `Local Lambda listening on ${endpoint} (region ${lambda.config.region}, account ${lambda.config.accountId})\n` +
      `Functions from ${functions}:\n` +
      lambda.registry
        .list()
        .map((d) => `  ${describe(d)}\n`)
        .join('') +
      (values['no-watch']
        ? 'Not reloading on edit (--no-watch)\n'
        : `Reloading on edit: changes under ${path.dirname(lambda.config.watchedDefinitions ?? functions)} take effect at the next invocation\n`) +
      `Event destination records go to the gateway that invoked the event when it says where, else ${
        destinationUrl === undefined ? "nowhere (set --destination-url to a gateway's /lambda-destinations)" : `to ${destinationUrl}`
      }\n` +
      `\nTry it:\n  aws lambda invoke --endpoint-url ${endpoint} --function-name echo \\\n` +
      `    --cli-binary-format raw-in-base64-out --payload '{"hello":"world"}' --log-type Tail out.json\n`,
  );
} catch (error) {
  if (error instanceof FunctionDefinitionError || error instanceof LocalLambdaConfigError) fail(error.message);
  throw error;
}
