/**
 * Lambda's read-only catalog operations, so that `aws lambda list-functions`, boto3 and
 * `@aws-sdk/client-lambda` can look at what the local Lambda serves: ListFunctions, GetFunction,
 * GetFunctionConfiguration, ListVersionsByFunction, ListAliases, GetAlias and
 * GetFunctionConcurrency (which the gateway reads to cap a function at its reserved concurrency).
 */
import type { ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import { decodeNameLabel, validateAliasName, validateFunctionTarget } from '../protocol/function-name.ts';
import type { FunctionDefinition } from './definitions.ts';
import { aliasConfiguration, codeOf, type FunctionConfiguration, functionConfiguration, LATEST } from './function-configuration.ts';
import { paginate, type PageRequest } from './pagination.ts';
import type { CatalogTarget, FunctionRegistry } from './registry.ts';
import { LambdaWireError } from './wire-errors.ts';

const FUNCTIONS_PATH = /^\/2015-03-31\/functions\/?$/;
/** `{name}`, `{name}/configuration`, `{name}/versions`, `{name}/aliases`, `{name}/aliases/{alias}`. */
const FUNCTION_PATH = /^\/2015-03-31\/functions\/([^/]+)(?:\/(configuration|versions|aliases)|\/aliases\/([^/]+))?\/?$/;

/** GetFunctionConcurrency: the function's reserved concurrency (a function setting: no qualifier). */
const CONCURRENCY_PATH = /^\/2019-09-30\/functions\/([^/]+)\/concurrency\/?$/;

export interface CatalogRequest {
  readonly method: string | undefined;
  readonly pathname: string;
  readonly query: URLSearchParams;
}

/** Answers a catalog request and returns true, or returns false for any other route. */
export function handleCatalogRequest(
  registry: FunctionRegistry,
  request: CatalogRequest,
  response: ServerResponse,
  requestId: string,
): boolean {
  if (request.method !== 'GET') return false;
  const { pathname, query } = request;
  if (FUNCTIONS_PATH.test(pathname)) {
    sendJson(response, requestId, listFunctions(registry, query));
    return true;
  }
  const concurrency = CONCURRENCY_PATH.exec(pathname);
  if (concurrency !== null) {
    const definition = registry.function(validateFunctionTarget(decodeNameLabel(concurrency[1] ?? ''), null));
    // Lambda answers `{}` for a function without reserved concurrency.
    const reserved = definition.reservedConcurrency;
    sendJson(response, requestId, reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved });
    return true;
  }
  const match = FUNCTION_PATH.exec(pathname);
  if (match === null) return false;
  const [, label = '', operation, aliasLabel] = match;
  const functionName = decodeNameLabel(label);
  const page: PageRequest = { maxItems: query.get('MaxItems'), marker: query.get('Marker') };
  let body: unknown;
  if (aliasLabel !== undefined) {
    const name = validateAliasName(decodeNameLabel(aliasLabel));
    const definition = registry.function(validateFunctionTarget(functionName, null));
    body = aliasConfiguration(definition, name, registry.alias(definition, name), registry.facts);
  } else if (operation === 'versions') {
    body = listVersions(registry, registry.function(validateFunctionTarget(functionName, null)), page);
  } else if (operation === 'aliases') {
    body = listAliases(registry, registry.function(validateFunctionTarget(functionName, null)), query.get('FunctionVersion'), page);
  } else {
    const described = registry.describe(validateFunctionTarget(functionName, query.get('Qualifier')));
    // Asked for by version or alias, the ARN carries that qualifier; `Version` is what it resolves to.
    const configuration = functionConfiguration(described.definition, described.version, registry.facts, {
      arnQualifier: described.qualifier,
    });
    body = operation === 'configuration' ? configuration : getFunction(described, configuration);
  }
  sendJson(response, requestId, body);
  return true;
}

function listFunctions(registry: FunctionRegistry, query: URLSearchParams): unknown {
  const functionVersion = query.get('FunctionVersion');
  if (functionVersion !== null && functionVersion !== 'ALL') {
    throw new LambdaWireError(
      'ValidationException',
      `1 validation error detected: Value '${functionVersion}' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]`,
    );
  }
  const masterRegion = query.get('MasterRegion');
  if (masterRegion !== null && functionVersion === null) {
    // AWS's text, recorded in aws/aws-cli#2911 (it names the parameter MasterArn).
    throw new LambdaWireError(
      'InvalidParameterValueException',
      `The combination MasterArn=${masterRegion} and FunctionVersion=NULL is not supported. Please see our documentation for valid combinations of ListFunctions options.`,
    );
  }
  let entries: FunctionConfiguration[];
  if (masterRegion !== null) {
    // MasterRegion filters for Lambda@Edge replicas, and no local function is one.
    entries = [];
  } else if (functionVersion === 'ALL') {
    // Every version with its qualified ARN, `$LATEST` included, function by function.
    entries = registry.list().flatMap((definition) => versionsOf(registry, definition));
  } else {
    entries = registry.list().map((definition) => functionConfiguration(definition, LATEST, registry.facts, { listing: true }));
  }
  const page = paginate(entries, (entry) => entry.FunctionArn, { maxItems: query.get('MaxItems'), marker: query.get('Marker') });
  return { Functions: page.items, ...nextMarker(page.nextMarker) };
}

/** `$LATEST` first, then the published versions in ascending order, each under its qualified ARN. */
function versionsOf(registry: FunctionRegistry, definition: FunctionDefinition): FunctionConfiguration[] {
  const published = [...definition.versions.keys()].sort((a, b) => Number(a) - Number(b));
  return [LATEST, ...published].map((version) =>
    functionConfiguration(definition, version, registry.facts, { arnQualifier: version, listing: true }),
  );
}

function listVersions(registry: FunctionRegistry, definition: FunctionDefinition, request: PageRequest): unknown {
  const page = paginate(versionsOf(registry, definition), (entry) => entry.FunctionArn, request);
  return { Versions: page.items, ...nextMarker(page.nextMarker) };
}

function listAliases(
  registry: FunctionRegistry,
  definition: FunctionDefinition,
  functionVersion: string | null,
  request: PageRequest,
): unknown {
  const aliases = [...definition.aliases]
    .filter(([, alias]) => functionVersion === null || alias.functionVersion === functionVersion)
    .map(([name, alias]) => aliasConfiguration(definition, name, alias, registry.facts));
  // AWS documents no 50-item cap for ListAliases: MaxItems is the page size.
  const page = paginate(aliases, (alias) => alias.AliasArn, request, Number.POSITIVE_INFINITY);
  return { Aliases: page.items, ...nextMarker(page.nextMarker) };
}

function getFunction({ definition, version }: CatalogTarget, configuration: FunctionConfiguration): unknown {
  const code = codeOf(definition, version);
  const concurrency =
    definition.reservedConcurrency === undefined ? {} : { Concurrency: { ReservedConcurrentExecutions: definition.reservedConcurrency } };
  return {
    Configuration: configuration,
    // Where Lambda gives a presigned S3 URL to the package, the local one points to the handler module on disk.
    Code: { RepositoryType: 'S3', Location: code === undefined ? '' : pathToFileURL(code.modulePath).href },
    ...concurrency,
  };
}

function nextMarker(marker: string | undefined): { NextMarker?: string } {
  return marker === undefined ? {} : { NextMarker: marker };
}

function sendJson(response: ServerResponse, requestId: string, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(200, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    'x-amzn-requestid': requestId,
  });
  response.end(text);
}
