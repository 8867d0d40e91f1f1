/**
 * The function catalog in the unit tier: the assembled gateway through `gateway.fetch`, reading
 * through the real SDK reader and paginators on a `LambdaClient` whose `send` is a fake Lambda that
 * records each command. What the wire and the local Lambda answer stays in
 * test/gateway/catalog.integration.test.ts.
 */
import { createHash } from 'node:crypto';
import {
  type FunctionConfiguration,
  GetFunctionConfigurationCommand,
  LambdaClient,
  LambdaServiceException,
  ListAliasesCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cachedCatalogSource, type FunctionCatalogSource, sdkCatalogSource } from '../../src/catalog/function-catalog.ts';
import type { GatewayOptions } from '../../src/config.ts';
import { assembleUnitGateway, type UnitGateway } from '../helpers/unit-gateway.ts';
import { EchoTwiceDocument, FunctionDocument, FunctionsDocument, FunctionsWithQualifiersDocument } from '../gateway/documents.ts';

const configuration = (name: string, more: Partial<FunctionConfiguration> = {}): FunctionConfiguration => ({
  FunctionName: name,
  FunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
  Description: `${name} function`,
  Runtime: 'nodejs24.x',
  Handler: 'index.handler',
  MemorySize: 256,
  Timeout: 10,
  LastModified: '2026-12-01T10:00:00.000+0000',
  ...more,
});

/** What the fake Lambda holds: echo has versions and aliases, the others only $LATEST. */
const FUNCTIONS = [configuration('echo'), configuration('fail', { MemorySize: 128 }), configuration('secret-report', { Timeout: 900 })];
const VERSIONS: Record<string, { Version: string; Description: string }[]> = {
  echo: [
    { Version: '$LATEST', Description: '' },
    { Version: '1', Description: 'first' },
    { Version: '2', Description: 'second' },
  ],
};
const ALIASES: Record<string, object[]> = {
  echo: [
    { Name: 'prod', FunctionVersion: '2', Description: 'canary', RoutingConfig: { AdditionalVersionWeights: { '1': 0.1 } } },
    { Name: 'staging', FunctionVersion: '1', Description: '' },
  ],
};

interface FakeLambda {
  readonly client: LambdaClient;
  /** Each command sent: its name and input. */
  readonly sent: { readonly command: string; readonly input: Record<string, unknown> }[];
  count(command: string): number;
  /** The next calls fail with this, until cleared. */
  failWith: Error | undefined;
}

/** ListFunctions answers in pages of two, so every page must be read. */
function fakeLambda(): FakeLambda {
  const client = new LambdaClient({ region: 'us-east-1', credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' } });
  const fake: FakeLambda = {
    client,
    sent: [],
    count: (command) => fake.sent.filter((s) => s.command === command).length,
    failWith: undefined,
  };
  const answer = (command: object): unknown => {
    if (command instanceof ListFunctionsCommand) {
      const start = Number(command.input.Marker ?? 0);
      const next = start + 2 < FUNCTIONS.length ? String(start + 2) : undefined;
      return { Functions: FUNCTIONS.slice(start, start + 2), NextMarker: next };
    }
    const name = (command as { input: { FunctionName?: string } }).input.FunctionName ?? '';
    const known = FUNCTIONS.find((f) => f.FunctionName === name);
    if (known === undefined) throw new ResourceNotFoundException({ message: `Function not found: ${name}`, $metadata: {} });
    if (command instanceof GetFunctionConfigurationCommand) return known;
    if (command instanceof ListVersionsByFunctionCommand) return { Versions: VERSIONS[name] ?? [{ Version: '$LATEST', Description: '' }] };
    if (command instanceof ListAliasesCommand) return { Aliases: ALIASES[name] ?? [] };
    throw new Error(`the fake Lambda does not know ${command.constructor.name}`);
  };
  client.send = async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    fake.sent.push({ command: command.constructor.name, input: { ...command.input } });
    await Promise.resolve();
    if (fake.failWith !== undefined) throw fake.failWith;
    return { $metadata: {}, ...(answer(command) as object) };
  };
  return fake;
}

const open: UnitGateway[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(open.splice(0).map((gateway) => gateway.close()));
});

async function gatewayWith(lambda: FakeLambda, config: GatewayOptions = {}): Promise<UnitGateway> {
  const gateway = await assembleUnitGateway({ config, overrides: { lambdaClient: lambda.client } });
  open.push(gateway);
  return gateway;
}

const OPS_KEY = 'ops-key-0123456789abcdef';
const APP_KEY = 'app-key-0123456789abcdef';
const CANARY_KEY = 'canary-key-0123456789abcdef';
const hash = (key: string) => createHash('sha256').update(key).digest('hex');
const ops = { 'x-api-key': OPS_KEY };
const app = { 'x-api-key': APP_KEY };
const canary = { 'x-api-key': CANARY_KEY };
const RULES: GatewayOptions = {
  auth: {
    apiKeys: [
      { id: 'ops', sha256: hash(OPS_KEY), roles: ['ops'] },
      { id: 'app', sha256: hash(APP_KEY), roles: ['app'] },
      { id: 'canary', sha256: hash(CANARY_KEY), roles: ['canary'] },
    ],
  },
  access: {
    allow: [
      { functions: ['*'], roles: ['ops'] },
      { functions: ['echo', 'fail'], roles: ['app'] },
      // Only the alias: echo is listed for it, $LATEST and the versions are not.
      { functions: ['echo'], qualifiers: ['prod'], roles: ['canary'] },
    ],
  },
};

describe('Query.functions', () => {
  it('lists every function of every page, as Lambda describes it', async () => {
    const lambda = fakeLambda();
    const gateway = await gatewayWith(lambda);
    const result = await gateway.execute(FunctionsDocument, {});
    expect(result.errors).toBeUndefined();
    expect(result.data?.functions).toEqual([
      {
        name: 'echo',
        arn: 'arn:aws:lambda:us-east-1:123456789012:function:echo',
        description: 'echo function',
        runtime: 'nodejs24.x',
        handler: 'index.handler',
        memorySizeMb: 256,
        timeoutSeconds: 10,
        lastModified: '2026-12-01T10:00:00.000+0000',
      },
      expect.objectContaining({ name: 'fail', memorySizeMb: 128 }),
      expect.objectContaining({ name: 'secret-report', timeoutSeconds: 900 }),
    ]);
    expect(lambda.count('ListFunctionsCommand')).toBe(2);
    // Versions and aliases were not selected, so not read.
    expect(lambda.sent.map((s) => s.command)).toEqual(['ListFunctionsCommand', 'ListFunctionsCommand']);
  });
});

describe('filtering per caller', () => {
  it('lists only the functions the caller may invoke', async () => {
    const gateway = await gatewayWith(fakeLambda(), RULES);
    const names = async (headers: Record<string, string>) =>
      (await gateway.execute(FunctionsDocument, {}, headers)).data?.functions.map((f) => f.name);
    expect(await names(ops)).toEqual(['echo', 'fail', 'secret-report']);
    expect(await names(app)).toEqual(['echo', 'fail']);
    expect(await names(canary)).toEqual(['echo']);
  });

  it('answers null for a function the caller may not invoke, as for one that does not exist, and asks Lambda nothing', async () => {
    const lambda = fakeLambda();
    const gateway = await gatewayWith(lambda, RULES);
    const hidden = await gateway.execute(FunctionDocument, { name: 'secret-report' }, app);
    expect(hidden).toEqual({ data: { function: null } });
    expect(lambda.sent).toEqual([]);
    const unknown = await gateway.execute(FunctionDocument, { name: 'no-such-function' }, ops);
    expect(unknown).toEqual({ data: { function: null } });
    const shown = await gateway.execute(FunctionDocument, { name: 'secret-report' }, ops);
    expect(shown.data?.function).toMatchObject({ name: 'secret-report', timeoutSeconds: 900 });
  });

  it('takes only a function’s own name: an ARN or name:qualifier is null, never sent to Lambda', async () => {
    const lambda = fakeLambda();
    const gateway = await gatewayWith(lambda, RULES);
    for (const name of ['echo:prod', 'arn:aws:lambda:us-east-1:123456789012:function:secret-report'])
      expect(await gateway.execute(FunctionDocument, { name }, ops)).toEqual({ data: { function: null } });
    expect(lambda.sent).toEqual([]);
  });

  it('lists only the versions and aliases the caller may invoke', async () => {
    const gateway = await gatewayWith(fakeLambda(), RULES);
    const echoOf = async (headers: Record<string, string>) =>
      (await gateway.execute(FunctionsWithQualifiersDocument, {}, headers)).data?.functions.find((f) => f.name === 'echo');
    const all = await echoOf(ops);
    expect(all?.versions.map((v) => v.version)).toEqual(['$LATEST', '1', '2']);
    expect(all?.aliases).toEqual([
      { name: 'prod', functionVersion: '2', description: 'canary', routingWeights: [{ version: '1', weight: 0.1 }] },
      { name: 'staging', functionVersion: '1', description: '', routingWeights: [] },
    ]);
    const onlyProd = await echoOf(canary);
    expect(onlyProd?.versions).toEqual([]);
    expect(onlyProd?.aliases.map((a) => a.name)).toEqual(['prod']);
  });

  it('does not list a function whose rule names only qualifiers it lacks', async () => {
    const gateway = await gatewayWith(fakeLambda(), {
      ...RULES,
      access: { allow: [{ functions: ['echo', 'fail'], qualifiers: ['prod'], roles: ['canary'] }] },
    });
    expect((await gateway.execute(FunctionsDocument, {}, canary)).data?.functions.map((f) => f.name)).toEqual(['echo']);
    expect(await gateway.execute(FunctionDocument, { name: 'fail' }, canary)).toEqual({ data: { function: null } });
  });
});

describe('versions and aliases', () => {
  it('are read only when selected, once per function per request, however often asked', async () => {
    const lambda = fakeLambda();
    const gateway = await gatewayWith(lambda, { catalog: { cacheTtlMs: 0 } });
    const result = await gateway.execute(FunctionsWithQualifiersDocument, {});
    expect(result.errors).toBeUndefined();
    expect(lambda.count('ListVersionsByFunctionCommand')).toBe(3);
    expect(lambda.count('ListAliasesCommand')).toBe(3);
    expect(new Set(lambda.sent.filter((s) => s.command === 'ListAliasesCommand').map((s) => s.input.FunctionName))).toEqual(
      new Set(['echo', 'fail', 'secret-report']),
    );
  });

  it('are deduplicated within a request: the same function asked for twice is read once', async () => {
    const lambda = fakeLambda();
    const gateway = await gatewayWith(lambda, { catalog: { cacheTtlMs: 0 } });
    const result = await gateway.execute(EchoTwiceDocument, {});
    expect(result.errors).toBeUndefined();
    expect(lambda.count('GetFunctionConfigurationCommand')).toBe(1);
    expect(lambda.count('ListVersionsByFunctionCommand')).toBe(1);
    expect(lambda.count('ListAliasesCommand')).toBe(1);
  });
});

describe('caching per gateway', () => {
  it('answers a second query within the TTL without asking Lambda, for any caller, and asks again after it', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const lambda = fakeLambda();
    const gateway = await gatewayWith(lambda, { ...RULES, catalog: { cacheTtlMs: 5000 } });
    await gateway.execute(FunctionsWithQualifiersDocument, {}, ops);
    const calls = lambda.sent.length;
    expect(calls).toBe(2 + 3 + 3);
    // Another caller, another request: the same answers, filtered for it.
    const again = await gateway.execute(FunctionsWithQualifiersDocument, {}, app);
    expect(again.data?.functions.map((f) => f.name)).toEqual(['echo', 'fail']);
    vi.advanceTimersByTime(4000);
    await gateway.execute(FunctionsWithQualifiersDocument, {}, ops);
    expect(lambda.sent.length).toBe(calls);
    vi.advanceTimersByTime(1001);
    await gateway.execute(FunctionsDocument, {}, ops);
    expect(lambda.sent.length).toBe(calls + 2);
  });

  it('asks Lambda every time with cacheTtlMs: 0', async () => {
    const lambda = fakeLambda();
    const gateway = await gatewayWith(lambda, { catalog: { cacheTtlMs: 0 } });
    await gateway.execute(FunctionsDocument, {});
    await gateway.execute(FunctionsDocument, {});
    expect(lambda.count('ListFunctionsCommand')).toBe(4);
  });

  it('shares one read among concurrent misses, and keeps no failure', async () => {
    let reads = 0;
    let fail = true;
    const slow: FunctionCatalogSource = {
      listFunctions: async () => {
        reads += 1;
        await new Promise((resolve) => setTimeout(resolve, 10));
        if (fail) throw new Error('down');
        return [];
      },
      getFunction: () => Promise.resolve(undefined),
      listVersions: () => Promise.resolve([]),
      listAliases: () => Promise.resolve([]),
    };
    const cached = cachedCatalogSource(slow, { ttlMs: 0 });
    const both = await Promise.allSettled([cached.listFunctions(), cached.listFunctions()]);
    expect(both.map((b) => b.status)).toEqual(['rejected', 'rejected']);
    expect(reads).toBe(1);
    fail = false;
    await expect(cached.listFunctions()).resolves.toEqual([]);
    expect(reads).toBe(2);
  });
});

describe('Lambda’s failures', () => {
  it('are a LAMBDA_UNAVAILABLE error naming Lambda’s error, with Retry-After for a throttle', async () => {
    const lambda = fakeLambda();
    const gateway = await gatewayWith(lambda);
    lambda.failWith = new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {}, retryAfterSeconds: '3' });
    const throttled = await gateway.executeWithStatus(FunctionsDocument, {});
    expect(throttled.body.data).toBeNull();
    expect(throttled.body.errors).toEqual([
      expect.objectContaining({
        message: 'Lambda throttled a catalog read: Rate exceeded',
        path: ['functions'],
        extensions: { code: 'LAMBDA_UNAVAILABLE', awsErrorName: 'TooManyRequestsException', retryAfterSeconds: 3 },
      }),
    ]);
    expect(throttled.status).toBe(502);

    lambda.failWith = new LambdaServiceException({
      name: 'ServiceException',
      $fault: 'server',
      message: 'Lambda is having a bad day',
      $metadata: { httpStatusCode: 500 },
    });
    const failed = await gateway.execute(FunctionDocument, { name: 'echo' });
    expect(failed.errors?.[0]?.extensions).toEqual({ code: 'LAMBDA_UNAVAILABLE', awsErrorName: 'ServiceException' });
    // Nothing was kept: once Lambda answers, so does the catalog.
    lambda.failWith = undefined;
    expect((await gateway.execute(FunctionsDocument, {})).data?.functions).toHaveLength(3);
  });

  it('is LAMBDA_UNAVAILABLE when Lambda does not answer within the read’s deadline', async () => {
    const client = new LambdaClient({ region: 'us-east-1', credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' } });
    // As the SDK's HTTP handler does: nothing until the call's signal aborts it.
    const never = (_command: unknown, options: { abortSignal: AbortSignal }) =>
      new Promise<never>((_resolve, reject) => {
        options.abortSignal.addEventListener('abort', () => reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })));
      });
    client.send = never as unknown as LambdaClient['send'];
    await expect(sdkCatalogSource(client, { timeoutMs: 20 }).listFunctions()).rejects.toMatchObject({
      message: 'Lambda did not answer a catalog read within 20 ms',
      extensions: { code: 'LAMBDA_UNAVAILABLE', awsErrorName: 'TimeoutError' },
    });
  });

  it('is LAMBDA_UNAVAILABLE, saying what to set, when the SDK finds no credentials', async () => {
    const lambda = fakeLambda();
    const gateway = await gatewayWith(lambda);
    lambda.failWith = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    const result = await gateway.execute(FunctionsDocument, {});
    expect(result.errors?.[0]).toMatchObject({
      message: 'Lambda could not be read: Could not load credentials from any providers',
      extensions: { code: 'LAMBDA_UNAVAILABLE', awsErrorName: 'CredentialsProviderError' },
    });
  });

  it('is LAMBDA_UNAVAILABLE when the gateway was given an invoker and no client to read with', async () => {
    const gateway = await assembleUnitGateway();
    open.push(gateway);
    const result = await gateway.execute(FunctionsDocument, {});
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'LAMBDA_UNAVAILABLE', awsErrorName: 'NoClient' });
  });
});
