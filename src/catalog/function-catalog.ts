/**
 * What Lambda says about its functions, read through the SDK's own commands on the gateway's one
 * `LambdaClient` (the same code path against AWS, LocalStack or the built-in local Lambda), and a
 * cache of those answers shared by every caller of one gateway. Who may see what is decided per
 * request, in caller-catalog.ts: this file knows nothing of callers.
 */
import {
  type AliasConfiguration,
  type FunctionConfiguration,
  GetFunctionConfigurationCommand,
  type LambdaClient,
  paginateListAliases,
  paginateListFunctions,
  paginateListVersionsByFunction,
} from '@aws-sdk/client-lambda';
import { LRUCache } from 'lru-cache';
import { lambdaUnavailable } from '../errors.ts';
import { FunctionNotFoundError, LambdaServiceError, ThrottledError } from '../lambda/errors.ts';
import { isMissingCredentials } from '../lambda/missing-credentials.ts';
import { toLambdaError } from '../lambda/sdk-errors.ts';

/** One function as `ListFunctions` and `GetFunctionConfiguration` describe its `$LATEST`. */
export interface CatalogFunction {
  readonly name: string;
  readonly arn: string;
  /** Empty when the function has none. */
  readonly description: string;
  /** Undefined for a container image, which has no managed runtime. */
  readonly runtime: string | undefined;
  readonly handler: string | undefined;
  readonly memorySizeMb: number | undefined;
  readonly timeoutSeconds: number | undefined;
  /** ISO 8601, as Lambda reports it (`2026-12-02T10:00:00.000+0000`). */
  readonly lastModified: string | undefined;
}

/** A published version, or `$LATEST`. */
export interface CatalogVersion {
  readonly version: string;
  readonly description: string;
}

export interface CatalogAlias {
  readonly name: string;
  readonly functionVersion: string;
  readonly description: string;
  /** The versions besides `functionVersion` that take a share of its traffic (weights 0–1). */
  readonly routingWeights: readonly { readonly version: string; readonly weight: number }[];
}

/**
 * Lambda's answers. Each read resolves with the whole answer (every page) or rejects with a
 * LAMBDA_UNAVAILABLE GraphQL error; a function Lambda does not know is `undefined` or empty.
 */
export interface FunctionCatalogSource {
  listFunctions(): Promise<readonly CatalogFunction[]>;
  getFunction(name: string): Promise<CatalogFunction | undefined>;
  listVersions(name: string): Promise<readonly CatalogVersion[]>;
  listAliases(name: string): Promise<readonly CatalogAlias[]>;
}

/** Catalog reads are small; one that takes longer than this has met a Lambda that is not answering. */
const DEFAULT_READ_TIMEOUT_MS = 10_000;

export interface SdkCatalogOptions {
  /** Deadline of one read, every page and retry included. @default 10000 */
  readonly timeoutMs?: number;
}

/** The SDK's reads on `client`: ListFunctions, GetFunctionConfiguration, ListVersionsByFunction, ListAliases. */
export function sdkCatalogSource(client: LambdaClient, options: SdkCatalogOptions = {}): FunctionCatalogSource {
  const timeoutMs = options.timeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
  /**
   * A read's own deadline, not the request's signal: answers are shared by every caller through
   * the cache, so one client going away must not fail the read for the others waiting on it.
   */
  const read = async <T>(functionName: string, body: (options: { abortSignal: AbortSignal }) => Promise<T>): Promise<T> => {
    const abortSignal = AbortSignal.timeout(timeoutMs);
    try {
      return await body({ abortSignal });
    } catch (error) {
      if (abortSignal.aborted) throw lambdaUnavailable(`Lambda did not answer a catalog read within ${timeoutMs} ms`, 'TimeoutError');
      throw toCatalogError(toLambdaError(error, functionName, undefined));
    }
  };
  /** Reads that name one function: a function Lambda does not know has nothing to list. */
  const ofFunction = async <T>(name: string, body: (options: { abortSignal: AbortSignal }) => Promise<T>, unknown: T): Promise<T> => {
    try {
      return await read(name, body);
    } catch (error) {
      if (error instanceof FunctionNotFoundError) return unknown;
      throw error;
    }
  };
  return {
    listFunctions: () =>
      read('', async (options) => {
        const functions: CatalogFunction[] = [];
        for await (const page of paginateListFunctions({ client }, {}, options))
          for (const configuration of page.Functions ?? []) functions.push(toFunction(configuration));
        return functions;
      }),
    getFunction: (name) =>
      ofFunction(
        name,
        async (options) => toFunction(await client.send(new GetFunctionConfigurationCommand({ FunctionName: name }), options)),
        undefined,
      ),
    listVersions: (name) =>
      ofFunction(
        name,
        async (options) => {
          const versions: CatalogVersion[] = [];
          for await (const page of paginateListVersionsByFunction({ client }, { FunctionName: name }, options))
            for (const version of page.Versions ?? [])
              versions.push({ version: version.Version ?? '$LATEST', description: version.Description ?? '' });
          return versions;
        },
        [],
      ),
    listAliases: (name) =>
      ofFunction(
        name,
        async (options) => {
          const aliases: CatalogAlias[] = [];
          for await (const page of paginateListAliases({ client }, { FunctionName: name }, options))
            for (const alias of page.Aliases ?? []) aliases.push(toAlias(alias));
          return aliases;
        },
        [],
      ),
  };
}

function toFunction(configuration: FunctionConfiguration): CatalogFunction {
  return {
    name: configuration.FunctionName ?? '',
    arn: configuration.FunctionArn ?? '',
    description: configuration.Description ?? '',
    runtime: configuration.Runtime,
    handler: configuration.Handler,
    memorySizeMb: configuration.MemorySize,
    timeoutSeconds: configuration.Timeout,
    lastModified: configuration.LastModified,
  };
}

function toAlias(alias: AliasConfiguration): CatalogAlias {
  const weights = alias.RoutingConfig?.AdditionalVersionWeights ?? {};
  return {
    name: alias.Name ?? '',
    functionVersion: alias.FunctionVersion ?? '',
    description: alias.Description ?? '',
    routingWeights: Object.entries(weights).map(([version, weight]) => ({ version, weight })),
  };
}

/**
 * A read that did not succeed is a refusal of the request (tier 2), not data: the catalog has no
 * union to put it in. An unknown function stays typed, for the callers above to turn into nothing.
 */
function toCatalogError(error: unknown): unknown {
  if (error instanceof FunctionNotFoundError) return error;
  if (error instanceof ThrottledError)
    return lambdaUnavailable(`Lambda throttled a catalog read: ${error.message}`, 'TooManyRequestsException', error.retryAfterSeconds);
  if (isMissingCredentials(error)) return lambdaUnavailable(`Lambda could not be read: ${error.message}`, error.name);
  // Any other Lambda exception, and a network failure (its code in place of an AWS error name).
  if (error instanceof LambdaServiceError) return lambdaUnavailable(`Lambda could not be read: ${error.message}`, error.code);
  return error;
}

export interface CatalogCacheOptions {
  /** How long an answer is kept; 0 keeps none (concurrent reads still share one call). */
  readonly ttlMs: number;
  /** Answers kept at most: one list, and a configuration, versions and aliases per function. @default 4096 */
  readonly maxEntries?: number;
  /** @default performance.now */
  readonly now?: () => number;
}

/**
 * `source`'s answers kept for `ttlMs`, for every caller of one gateway, so browsing the catalog in
 * GraphiQL or the dashboard costs Lambda a few calls per interval; reads of one key that miss at
 * the same time share one call. Failures are not kept: the next read asks again.
 */
export function cachedCatalogSource(source: FunctionCatalogSource, options: CatalogCacheOptions): FunctionCatalogSource {
  const now = options.now ?? (() => performance.now());
  // Expiry is kept beside each answer, not in lru-cache's own TTL, so that it reads the clock given
  // (lru-cache takes performance.now at import, out of a test's reach).
  const answers = new LRUCache<string, { readonly value: unknown; readonly expiresAt: number }>({ max: options.maxEntries ?? 4096 });
  const pending = new Map<string, Promise<unknown>>();
  const cached = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    const answer = answers.get(key);
    if (answer !== undefined) {
      if (answer.expiresAt > now()) return Promise.resolve(answer.value as T);
      answers.delete(key);
    }
    const inFlight = pending.get(key);
    if (inFlight !== undefined) return inFlight as Promise<T>;
    const loading = load().then(
      (value) => {
        pending.delete(key);
        if (options.ttlMs > 0) answers.set(key, { value, expiresAt: now() + options.ttlMs });
        return value;
      },
      (error: unknown) => {
        pending.delete(key);
        throw error;
      },
    );
    pending.set(key, loading);
    return loading;
  };
  return {
    listFunctions: () => cached('functions', () => source.listFunctions()),
    getFunction: (name) => cached(`function:${name}`, () => source.getFunction(name)),
    listVersions: (name) => cached(`versions:${name}`, () => source.listVersions(name)),
    listAliases: (name) => cached(`aliases:${name}`, () => source.listAliases(name)),
  };
}
