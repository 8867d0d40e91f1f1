/**
 * The catalog operations of the local Lambda (ListFunctions, GetFunction, GetFunctionConfiguration,
 * ListVersionsByFunction, ListAliases, GetAlias) through the clients that must accept them
 * unchanged: `@aws-sdk/client-lambda` with its paginators, boto3's paginator, and the AWS CLI v2.
 * A functions folder of the test's own holds more functions than one page (50).
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type FunctionConfiguration,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  InvalidParameterValueException,
  InvokeCommand,
  type LambdaClient,
  ListAliasesCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  paginateListAliases,
  paginateListFunctions,
  paginateListVersionsByFunction,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningLocalLambda, startLocalLambda } from '../../src/local-lambda/server.ts';
import { CHILD_TIMEOUT_MS, runClient } from '../helpers/aws-clients.ts';
import { json, lambdaClient } from '../helpers/local-lambda.ts';
import { systemTool } from '../setup/system-tools.ts';

const BOTO3_SCRIPT = fileURLToPath(new URL('../fixtures/clients/boto3_catalog.py', import.meta.url));
const ACCOUNT = '123456789012';
const ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function`;
/** 53 plain functions and `shop`: two pages of 50 and more. */
const PLAIN = Array.from({ length: 53 }, (_, i) => `fn-${String(i + 1).padStart(2, '0')}`);
const NAMES = [...PLAIN, 'shop'];
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LAST_MODIFIED = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/;

const DEFINITIONS = {
  functions: {
    ...Object.fromEntries(PLAIN.map((name) => [name, { handler: 'plain.handler' }])),
    shop: {
      description: 'the shop',
      handler: 'shop/latest.handler',
      timeout: 5,
      memorySize: 256,
      environment: { STAGE: 'local' },
      reservedConcurrency: 3,
      versions: {
        '1': { handler: 'shop/v1.handler' },
        '2': { handler: 'shop/v2.handler', description: 'two' },
        '3': { handler: 'shop/v3.handler', environment: { STAGE: 'canary' } },
      },
      aliases: {
        stable: '1',
        live: { functionVersion: '2', description: 'production', routingConfig: { additionalVersionWeights: { '3': 0.25 } } },
        edge: '$LATEST',
      },
    },
  },
};

const HANDLERS: Record<string, string> = {
  'plain.ts': 'export const handler = async () => ({ plain: true });\n',
  'shop/latest.ts': "export const handler = async () => ({ version: '$LATEST' });\n",
  'shop/v1.ts': "export const handler = async () => ({ version: '1' });\n",
  'shop/v2.ts': "export const handler = async () => ({ version: '2' });\n",
  'shop/v3.ts': "export const handler = async () => ({ version: '3' });\n",
};

let folder: string;
let lambda: RunningLocalLambda;
let client: LambdaClient;
/** What the next weighted-alias invocation draws; the local Lambda's random source. */
let nextRandom = 0.5;

function sha256(file: string): string {
  return createHash('sha256')
    .update(HANDLERS[file] ?? '')
    .digest('base64');
}

/** The members of a response without the SDK's `$metadata`. */
function body<T extends { $metadata: unknown }>(output: T): Omit<T, '$metadata'> {
  return Object.fromEntries(Object.entries(output).filter(([key]) => key !== '$metadata')) as Omit<T, '$metadata'>;
}

async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number }; Type?: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected the call to fail');
  return error;
}

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'local-lambda-catalog-'));
  for (const [file, source] of Object.entries(HANDLERS)) {
    await mkdir(path.dirname(path.join(folder, file)), { recursive: true });
    await writeFile(path.join(folder, file), source);
  }
  await writeFile(path.join(folder, 'functions.json'), JSON.stringify(DEFINITIONS, null, 2));
  lambda = await startLocalLambda({ functions: folder, random: () => nextRandom });
  client = lambdaClient(lambda.endpoint);
});

afterAll(async () => {
  client?.destroy();
  await lambda?.close(100);
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
});

describe('ListFunctions (@aws-sdk/client-lambda)', () => {
  it('pages through every function with paginateListFunctions, in definition order', async () => {
    const pages: string[][] = [];
    for await (const page of paginateListFunctions({ client, pageSize: 20 }, {})) {
      pages.push((page.Functions ?? []).map((f) => f.FunctionName ?? ''));
    }
    expect(pages.map((p) => p.length)).toStrictEqual([20, 20, 14]);
    expect(pages.flat()).toStrictEqual(NAMES);
  });

  it('returns 50 at most per page, the default page too, with a NextMarker to the rest', async () => {
    for (const input of [{}, { MaxItems: 10_000 }]) {
      const first = await client.send(new ListFunctionsCommand(input));
      expect(first.Functions).toHaveLength(50);
      expect(first.NextMarker).toEqual(expect.any(String));
      const rest = await client.send(new ListFunctionsCommand({ ...input, Marker: first.NextMarker }));
      expect(rest.Functions?.map((f) => f.FunctionName)).toStrictEqual(NAMES.slice(50));
      expect(rest.NextMarker).toBeUndefined();
    }
  });

  it('lists $LATEST under the unqualified ARN, without the state members GetFunction adds', async () => {
    const { Functions = [] } = await client.send(new ListFunctionsCommand({ MaxItems: 1 }));
    expect(Functions[0]).toStrictEqual({
      FunctionName: 'fn-01',
      FunctionArn: `${ARN}:fn-01`,
      Runtime: 'nodejs24.x',
      Role: `arn:aws:iam::${ACCOUNT}:role/local-lambda-execution-role`,
      Handler: 'plain.handler',
      CodeSize: Buffer.byteLength(HANDLERS['plain.ts'] ?? ''),
      Description: '',
      Timeout: 3,
      MemorySize: 128,
      LastModified: expect.stringMatching(LAST_MODIFIED) as string,
      CodeSha256: sha256('plain.ts'),
      Version: '$LATEST',
      TracingConfig: { Mode: 'PassThrough' },
      RevisionId: expect.stringMatching(UUID_SHAPE) as string,
      PackageType: 'Zip',
      Architectures: ['x86_64'],
      EphemeralStorage: { Size: 512 },
      SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
      LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/fn-01' },
    });
  });

  it('with FunctionVersion ALL lists every published version too, each under its qualified ARN', async () => {
    const entries: FunctionConfiguration[] = [];
    for await (const page of paginateListFunctions({ client, pageSize: 50 }, { FunctionVersion: 'ALL' }))
      entries.push(...(page.Functions ?? []));
    expect(entries).toHaveLength(53 + 4);
    expect(entries[0]?.FunctionArn).toBe(`${ARN}:fn-01:$LATEST`);
    expect(entries.filter((e) => e.FunctionName === 'shop').map((e) => [e.FunctionArn, e.Version, e.Handler])).toStrictEqual([
      [`${ARN}:shop:$LATEST`, '$LATEST', 'shop/latest.handler'],
      [`${ARN}:shop:1`, '1', 'shop/v1.handler'],
      [`${ARN}:shop:2`, '2', 'shop/v2.handler'],
      [`${ARN}:shop:3`, '3', 'shop/v3.handler'],
    ]);
  });

  it('refuses a marker it did not hand out, and MaxItems out of 1–10000', async () => {
    const marker = await rejection(client.send(new ListFunctionsCommand({ Marker: 'not-a-marker' })));
    expect(marker).toBeInstanceOf(InvalidParameterValueException);
    expect(marker.$metadata?.httpStatusCode).toBe(400);
    expect(marker.message).toMatch(/^Invalid Marker 'not-a-marker'/);

    for (const [maxItems, bound] of [
      [0, 'greater than or equal to 1'],
      [10_001, 'less than or equal to 10000'],
    ] as const) {
      const error = await rejection(client.send(new ListFunctionsCommand({ MaxItems: maxItems })));
      expect(error.name).toBe('ValidationException');
      expect(error.message).toBe(
        `1 validation error detected: Value '${maxItems}' at 'maxItems' failed to satisfy constraint: Member must have value ${bound}`,
      );
    }
  });
});

describe('GetFunction and GetFunctionConfiguration', () => {
  const shopLatest = {
    FunctionName: 'shop',
    FunctionArn: `${ARN}:shop`,
    Runtime: 'nodejs24.x',
    Role: `arn:aws:iam::${ACCOUNT}:role/local-lambda-execution-role`,
    Handler: 'shop/latest.handler',
    CodeSize: Buffer.byteLength(HANDLERS['shop/latest.ts'] ?? ''),
    Description: 'the shop',
    Timeout: 5,
    MemorySize: 256,
    LastModified: expect.stringMatching(LAST_MODIFIED) as string,
    CodeSha256: sha256('shop/latest.ts'),
    Version: '$LATEST',
    Environment: { Variables: { STAGE: 'local' } },
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: expect.stringMatching(UUID_SHAPE) as string,
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: ['x86_64'],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/shop' },
  };

  it('GetFunctionConfiguration without a qualifier describes $LATEST, the same on every call', async () => {
    const first = body(await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'shop' })));
    expect(first).toStrictEqual(shopLatest);
    const again = body(await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'shop' })));
    expect(again).toStrictEqual(first);
  });

  it('GetFunction adds the code location and the reserved concurrency', async () => {
    expect(body(await client.send(new GetFunctionCommand({ FunctionName: 'shop' })))).toStrictEqual({
      Configuration: shopLatest,
      Code: { RepositoryType: 'S3', Location: pathToFileURL(path.join(folder, 'shop/latest.ts')).href },
      Concurrency: { ReservedConcurrentExecutions: 3 },
    });
    const plain = body(await client.send(new GetFunctionCommand({ FunctionName: 'fn-02' })));
    expect(plain.Concurrency).toBeUndefined();
    expect(plain.Configuration?.Environment).toBeUndefined();
  });

  it('GetFunctionConcurrency answers the reserved concurrency, by name or ARN, and {} without one', async () => {
    expect(body(await client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'shop' })))).toStrictEqual({
      ReservedConcurrentExecutions: 3,
    });
    expect(body(await client.send(new GetFunctionConcurrencyCommand({ FunctionName: `${ARN}:shop` })))).toStrictEqual({
      ReservedConcurrentExecutions: 3,
    });
    expect(body(await client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'fn-02' })))).toStrictEqual({});
    await expect(client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Function not found: ${ARN}:nope`,
    });
  });

  it('a version qualifier describes that version under its qualified ARN; unset fields inherit', async () => {
    const v3 = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'shop', Qualifier: '3' }));
    expect(v3).toMatchObject({
      FunctionArn: `${ARN}:shop:3`,
      Version: '3',
      Handler: 'shop/v3.handler',
      Description: 'the shop',
      Timeout: 5,
      Environment: { Variables: { STAGE: 'canary' } },
      CodeSha256: sha256('shop/v3.ts'),
    });
    const v2 = await client.send(new GetFunctionCommand({ FunctionName: 'shop', Qualifier: '2' }));
    expect(v2.Configuration).toMatchObject({ FunctionArn: `${ARN}:shop:2`, Version: '2', Description: 'two' });
    expect(v2.Code?.Location).toBe(pathToFileURL(path.join(folder, 'shop/v2.ts')).href);
    expect(v2.Configuration?.RevisionId).not.toBe(v3.RevisionId);
  });

  it('an alias keeps its ARN and reports the version it points to', async () => {
    const live = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'shop', Qualifier: 'live' }));
    expect(live).toMatchObject({ FunctionArn: `${ARN}:shop:live`, Version: '2', Handler: 'shop/v2.handler' });
    const edge = await client.send(new GetFunctionCommand({ FunctionName: 'shop:edge' }));
    expect(edge.Configuration).toMatchObject({ FunctionArn: `${ARN}:shop:edge`, Version: '$LATEST' });
  });

  it.each([
    ['a full ARN', `${ARN}:shop`, undefined, `${ARN}:shop`],
    ['a full ARN with a version', `${ARN}:shop:1`, undefined, `${ARN}:shop:1`],
    ['a partial ARN', `${ACCOUNT}:function:shop`, undefined, `${ARN}:shop`],
    ['name:qualifier', 'shop:stable', undefined, `${ARN}:shop:stable`],
    ['an ARN and the same Qualifier', `${ARN}:shop:2`, '2', `${ARN}:shop:2`],
    ['$LATEST asked for', 'shop', '$LATEST', `${ARN}:shop:$LATEST`],
  ])('takes %s as the name', async (_, FunctionName, Qualifier, arn) => {
    const configuration = await client.send(new GetFunctionConfigurationCommand({ FunctionName, Qualifier }));
    expect(configuration.FunctionArn).toBe(arn);
  });

  it('refuses a qualifier in the name that differs from Qualifier, and a bad name, as Invoke does', async () => {
    const mismatch = await rejection(client.send(new GetFunctionCommand({ FunctionName: 'shop:1', Qualifier: '2' })));
    expect(mismatch).toBeInstanceOf(InvalidParameterValueException);
    expect(mismatch.message).toBe('The derived qualifier from the function name does not match the specified qualifier.');
    const bad = await rejection(client.send(new GetFunctionCommand({ FunctionName: 'no such!' })));
    expect(bad.name).toBe('ValidationException');
    expect(bad.message).toMatch(/^1 validation error detected: Value 'no such!' at 'functionName' failed to satisfy constraint: /);
  });
});

describe('ListVersionsByFunction, ListAliases, GetAlias', () => {
  it('lists $LATEST first, then the versions in order, page by page', async () => {
    const pages: string[][] = [];
    for await (const page of paginateListVersionsByFunction({ client, pageSize: 3 }, { FunctionName: `${ARN}:shop` })) {
      pages.push((page.Versions ?? []).map((v) => v.FunctionArn ?? ''));
    }
    expect(pages).toStrictEqual([[`${ARN}:shop:$LATEST`, `${ARN}:shop:1`, `${ARN}:shop:2`], [`${ARN}:shop:3`]]);
    const plain = await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'fn-01' }));
    expect(plain.Versions?.map((v) => v.Version)).toStrictEqual(['$LATEST']);
  });

  it('lists aliases with their routing configuration, filtered by version and paged', async () => {
    const { Aliases } = await client.send(new ListAliasesCommand({ FunctionName: 'shop' }));
    expect(Aliases).toStrictEqual([
      {
        AliasArn: `${ARN}:shop:stable`,
        Name: 'stable',
        FunctionVersion: '1',
        Description: '',
        RevisionId: expect.stringMatching(UUID_SHAPE) as string,
      },
      {
        AliasArn: `${ARN}:shop:live`,
        Name: 'live',
        FunctionVersion: '2',
        Description: 'production',
        RoutingConfig: { AdditionalVersionWeights: { '3': 0.25 } },
        RevisionId: expect.stringMatching(UUID_SHAPE) as string,
      },
      {
        AliasArn: `${ARN}:shop:edge`,
        Name: 'edge',
        FunctionVersion: '$LATEST',
        Description: '',
        RevisionId: expect.stringMatching(UUID_SHAPE) as string,
      },
    ]);
    const onTwo = await client.send(new ListAliasesCommand({ FunctionName: 'shop', FunctionVersion: '2' }));
    expect(onTwo.Aliases?.map((a) => a.Name)).toStrictEqual(['live']);
    const pages: string[][] = [];
    for await (const page of paginateListAliases({ client, pageSize: 2 }, { FunctionName: 'shop' }))
      pages.push((page.Aliases ?? []).map((a) => a.Name ?? ''));
    expect(pages).toStrictEqual([['stable', 'live'], ['edge']]);
    expect((await client.send(new ListAliasesCommand({ FunctionName: 'fn-01' }))).Aliases).toStrictEqual([]);
  });

  it('GetAlias answers the alias configuration', async () => {
    const live = body(await client.send(new GetAliasCommand({ FunctionName: `${ARN}:shop`, Name: 'live' })));
    const listed = (await client.send(new ListAliasesCommand({ FunctionName: 'shop' }))).Aliases?.find((a) => a.Name === 'live');
    expect(live).toStrictEqual(listed);
    expect(live.RoutingConfig).toStrictEqual({ AdditionalVersionWeights: { '3': 0.25 } });
  });
});

describe('not found', () => {
  it.each([
    ['GetFunction, an unknown function', () => new GetFunctionCommand({ FunctionName: 'nope' }), `Function not found: ${ARN}:nope`],
    [
      'GetFunctionConfiguration, an unknown function by ARN',
      () => new GetFunctionConfigurationCommand({ FunctionName: `${ARN}:nope` }),
      `Function not found: ${ARN}:nope`,
    ],
    [
      'GetFunction, an unknown function with a qualifier',
      () => new GetFunctionCommand({ FunctionName: 'nope', Qualifier: '1' }),
      `Function not found: ${ARN}:nope:1`,
    ],
    [
      'GetFunction, an unknown version',
      () => new GetFunctionCommand({ FunctionName: 'shop', Qualifier: '9' }),
      `Function not found: ${ARN}:shop:9`,
    ],
    [
      'GetFunctionConfiguration, an unknown alias',
      () => new GetFunctionConfigurationCommand({ FunctionName: 'shop:nope' }),
      `Function not found: ${ARN}:shop:nope`,
    ],
    [
      'GetAlias, an unknown alias',
      () => new GetAliasCommand({ FunctionName: 'shop', Name: 'nope' }),
      `Cannot find alias arn: ${ARN}:shop:nope`,
    ],
    ['GetAlias, an unknown function', () => new GetAliasCommand({ FunctionName: 'nope', Name: 'live' }), `Function not found: ${ARN}:nope`],
    [
      'ListVersionsByFunction, an unknown function',
      () => new ListVersionsByFunctionCommand({ FunctionName: 'nope' }),
      `Function not found: ${ARN}:nope`,
    ],
    ['ListAliases, an unknown function', () => new ListAliasesCommand({ FunctionName: 'nope' }), `Function not found: ${ARN}:nope`],
    [
      'GetFunction, another account',
      () => new GetFunctionCommand({ FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:shop' }),
      'Function not found: arn:aws:lambda:us-east-1:000000000000:function:shop',
    ],
    [
      'GetFunction, another region',
      () => new GetFunctionCommand({ FunctionName: 'arn:aws:lambda:eu-west-1:123456789012:function:shop' }),
      "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')",
    ],
  ])('%s: 404 ResourceNotFoundException', async (_, command, message) => {
    // One union of command types is more than `send`'s overloads take; each command is sent as itself.
    const error = await rejection(client.send(command() as GetFunctionCommand));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.$metadata?.httpStatusCode).toBe(404);
    expect(error.Type).toBe('User');
    expect(error.message).toBe(message);
  });
});

describe('on the wire', () => {
  it('answers JSON with a request id, and errors in the shape of the wire-error table', async () => {
    const ok = await fetch(`${lambda.endpoint}/2015-03-31/functions/shop/aliases/live`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/json');
    expect(ok.headers.get('x-amzn-requestid')).toMatch(UUID_SHAPE);

    const missing = await fetch(`${lambda.endpoint}/2015-03-31/functions/${encodeURIComponent(`${ARN}:nope`)}/configuration`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(missing.headers.get('content-type')).toBe('application/json');
    expect(missing.headers.get('x-amzn-requestid')).toMatch(UUID_SHAPE);
    expect(await missing.json()).toStrictEqual({ Type: 'User', Message: `Function not found: ${ARN}:nope` });
  });

  it.each([
    ['GET', '/2015-03-31/functions/shop/configuration/extra'],
    ['GET', '/2015-03-31/functions/shop/versions/1'],
    ['GET', '/2015-03-31/functions/shop/aliases/live/extra'],
    ['PUT', '/2015-03-31/functions/shop/aliases/live'],
    ['POST', '/2015-03-31/functions/shop/configuration'],
  ])('%s %s stays UnknownOperationException', async (method, route) => {
    const response = await fetch(`${lambda.endpoint}${route}`, { method });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(await response.json()).toStrictEqual({ message: `No Lambda operation at ${method} ${route}` });
  });

  it('refuses an alias name that is all digits, in the validation wording', async () => {
    const response = await fetch(`${lambda.endpoint}/2015-03-31/functions/shop/aliases/12`);
    expect(response.status).toBe(400);
    expect(await response.json()).toStrictEqual({
      message:
        "1 validation error detected: Value '12' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)",
    });
  });

  it('refuses a FunctionVersion other than ALL, and MasterRegion without it, with AWS texts', async () => {
    const version = await fetch(`${lambda.endpoint}/2015-03-31/functions/?FunctionVersion=LATEST`);
    expect(version.status).toBe(400);
    expect(await version.json()).toStrictEqual({
      message:
        "1 validation error detected: Value 'LATEST' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]",
    });
    const master = await fetch(`${lambda.endpoint}/2015-03-31/functions/?MasterRegion=us-east-1`);
    expect(master.status).toBe(400);
    expect(await master.json()).toStrictEqual({
      Type: 'User',
      message:
        'The combination MasterArn=us-east-1 and FunctionVersion=NULL is not supported. Please see our documentation for valid combinations of ListFunctions options.',
    });
    const edge = await client.send(new ListFunctionsCommand({ MasterRegion: 'us-east-1', FunctionVersion: 'ALL' }));
    expect(edge.Functions).toStrictEqual([]);
  });
});

describe('Invoke of an alias with routing weights', () => {
  async function invokeLive(random: number): Promise<{ executed: string | undefined; payload: unknown }> {
    nextRandom = random;
    const result = await client.send(new InvokeCommand({ FunctionName: 'shop', Qualifier: 'live' }));
    return { executed: result.ExecutedVersion, payload: json(result.Payload) };
  }

  it('runs the additional version for a draw below its weight and the alias version otherwise', async () => {
    expect(await invokeLive(0.1)).toStrictEqual({ executed: '3', payload: { version: '3' } });
    expect(await invokeLive(0.2499)).toStrictEqual({ executed: '3', payload: { version: '3' } });
    expect(await invokeLive(0.25)).toStrictEqual({ executed: '2', payload: { version: '2' } });
    expect(await invokeLive(0.9)).toStrictEqual({ executed: '2', payload: { version: '2' } });
  });

  it('an alias without weights runs its version whatever the draw', async () => {
    nextRandom = 0;
    const result = await client.send(new InvokeCommand({ FunctionName: 'shop:stable' }));
    expect(result.ExecutedVersion).toBe('1');
  });
});

describe('other clients', { timeout: 3 * CHILD_TIMEOUT_MS }, () => {
  let home: string;
  let awsCli: string;
  let python: string;

  beforeAll(async () => {
    awsCli = systemTool('awsCli');
    python = systemTool('boto3');
    home = await mkdtemp(path.join(os.tmpdir(), 'local-lambda-catalog-clients-'));
  });

  afterAll(async () => {
    if (home !== undefined) await rm(home, { recursive: true, force: true });
  });

  async function boto3(...args: string[]): Promise<Record<string, unknown>> {
    const result = await runClient(python, [BOTO3_SCRIPT, lambda.endpoint, ...args], home);
    expect(result, result.stderr).toMatchObject({ code: 0 });
    return JSON.parse(result.stdout) as Record<string, unknown>;
  }

  async function aws(...args: string[]): Promise<unknown> {
    const result = await runClient(awsCli, ['lambda', ...args, '--endpoint-url', lambda.endpoint, '--output', 'json'], home);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout);
  }

  it("boto3's list_functions paginator walks every page", async () => {
    const { pages } = (await boto3('list-functions', '--page-size', '25')) as { pages: string[][] };
    expect(pages.map((p) => p.length)).toStrictEqual([25, 25, 4]);
    expect(pages.flat()).toStrictEqual(NAMES.map((name) => `${ARN}:${name}`));
    const all = (await boto3('list-functions', '--function-version', 'ALL')) as { pages: string[][] };
    expect(all.pages.flat()).toHaveLength(57);
  });

  it('boto3 reads a configuration by alias, and gets the modelled ResourceNotFoundException', async () => {
    expect(await boto3('get-function-configuration', 'shop', '--qualifier', 'live')).toMatchObject({
      FunctionArn: `${ARN}:shop:live`,
      Version: '2',
      LastModified: expect.stringMatching(LAST_MODIFIED) as string,
    });
    expect(await boto3('get-function-configuration', 'shop', '--qualifier', '7')).toStrictEqual({
      exception: 'ResourceNotFoundException',
      modeled: true,
      code: 'ResourceNotFoundException',
      message: `Function not found: ${ARN}:shop:7`,
      status: 404,
      type: 'User',
    });
    expect(await boto3('list-aliases', 'shop')).toMatchObject({
      Aliases: [{ Name: 'stable' }, { Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '3': 0.25 } } }, { Name: 'edge' }],
    });
  });

  it('aws lambda list-functions --max-items pages with NextToken, and lists everything without it', async () => {
    const first = (await aws(
      'list-functions',
      '--max-items',
      '30',
      '--page-size',
      '20',
      '--query',
      '{names: Functions[].FunctionName, next: NextToken}',
    )) as {
      names: string[];
      next: string;
    };
    expect(first.names).toStrictEqual(NAMES.slice(0, 30));
    expect(first.next).toEqual(expect.any(String));
    const rest = (await aws('list-functions', '--starting-token', first.next, '--query', 'Functions[].FunctionName')) as string[];
    expect(rest).toStrictEqual(NAMES.slice(30));
    expect(await aws('list-functions', '--query', 'Functions[].FunctionName')).toStrictEqual(NAMES);
  });

  it('aws lambda get-function-concurrency', async () => {
    // (For a function without reserved concurrency Lambda answers {}, which the CLI prints as nothing.)
    expect(await aws('get-function-concurrency', '--function-name', 'shop')).toStrictEqual({ ReservedConcurrentExecutions: 3 });
  });

  it('aws lambda get-alias and get-function', async () => {
    expect(await aws('get-alias', '--function-name', 'shop', '--name', 'live')).toMatchObject({
      AliasArn: `${ARN}:shop:live`,
      RoutingConfig: { AdditionalVersionWeights: { '3': 0.25 } },
    });
    expect(
      await aws('get-function', '--function-name', 'shop', '--qualifier', '1', '--query', 'Configuration.[FunctionArn, Version]'),
    ).toStrictEqual([`${ARN}:shop:1`, '1']);
  });
});
