/**
 * Who may invoke what, in the unit tier: an allowlist refuses anything else with FORBIDDEN and
 * zero calls to Lambda (read from the fake invoker); production will not start without one and
 * hides GraphiQL and introspection; roles decide error details and Tail logs; the client context
 * policies decide what the function is sent. Reading and following EVENT invocations — destination
 * records and a WebSocket — stays in access.integration.test.ts.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyGatewayClientContext } from '../../src/access/client-context.ts';
import { type GatewayOptions, GatewayConfigError, resolveGatewayConfig } from '../../src/config.ts';
import { loadConfigFile } from '../../src/config-file.ts';
import { fixtureLambda } from '../invocations/fake-invoker.ts';
import { FIXTURE_FUNCTIONS } from '../helpers/local-lambda.ts';
import { assembleUnitGateway, type UnitGateway } from '../helpers/unit-gateway.ts';
import { InvokeFunctionDocument, InvokeFunctionsDocument } from './documents.ts';

/** A unit gateway whose fake Lambda answers as the fixture functions do. */
const gatewayWith = (config: GatewayOptions = {}): Promise<UnitGateway> => assembleUnitGateway({ config, answer: fixtureLambda() });

describe('the allowlist', () => {
  let gateway: UnitGateway;
  beforeAll(async () => {
    gateway = await gatewayWith({
      access: {
        allow: [
          { functions: ['echo'], qualifiers: ['live', '$LATEST'] },
          { functions: ['no*'], invocationTypes: ['RequestResponse'] },
        ],
      },
    });
  });
  const lambdaRequests = () => gateway.invoker.calls.length;
  afterAll(() => gateway.close());

  it.each([
    ['a listed function', { functionName: 'echo' }],
    ['a listed qualifier, however it is spelt', { functionName: 'arn:aws:lambda:us-east-1:123456789012:function:echo:live' }],
    ['a pattern', { functionName: 'noop' }],
  ])('allows %s', async (_label, input) => {
    const result = await gateway.execute(InvokeFunctionDocument, { input });
    expect(result.errors).toBeUndefined();
    expect(result.data?.invokeFunction.__typename).toBe('Invocation');
  });

  it.each([
    ['an unlisted function', { functionName: 'fail' }, 'Invoking fail as RequestResponse is not allowed'],
    ['an unlisted qualifier', { functionName: 'echo', qualifier: '2' }, 'Invoking echo (qualifier 2) as RequestResponse is not allowed'],
    ['an unlisted qualifier inside an ARN', { functionName: 'arn:aws:lambda:us-east-1:123456789012:function:echo:2' }, 'is not allowed'],
    ['an unlisted invocation type', { functionName: 'noop', invocationType: 'EVENT' as const }, 'Invoking noop as Event is not allowed'],
  ])('refuses %s with FORBIDDEN and no call to Lambda', async (_label, input, message) => {
    const before = lambdaRequests();
    const response = await gateway.executeWithStatus(InvokeFunctionDocument, { input });
    expect(response.status).toBe(403);
    expect(response.body.data).toBeNull();
    expect(response.body.errors?.[0]?.message).toContain(message);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(lambdaRequests() - before).toBe(0);
  });

  it('refuses a whole batch with one forbidden input before invoking any', async () => {
    const before = lambdaRequests();
    const result = await gateway.execute(InvokeFunctionsDocument, {
      inputs: [{ functionName: 'echo' }, { functionName: 'fail' }, { functionName: 'noop' }],
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(lambdaRequests() - before).toBe(0);
  });
});

describe('modes', () => {
  it('production refuses to start without an allowlist, saying what to add', () => {
    expect(() => resolveGatewayConfig({ mode: 'production' })).toThrow(GatewayConfigError);
    expect(() => resolveGatewayConfig({ mode: 'production' })).toThrow(
      /access\.allow: production mode will not start without a list of the functions/,
    );
  });

  it('production turns GraphiQL and introspection off unless enabled; development has them on', () => {
    const production = resolveGatewayConfig({ mode: 'production', access: { allow: [{ functions: ['echo'] }] } });
    expect(production).toMatchObject({ graphiql: false, introspection: false });
    expect(
      resolveGatewayConfig({ mode: 'production', access: { allow: [{ functions: ['echo'] }] }, graphiql: true, introspection: true }),
    ).toMatchObject({ graphiql: true, introspection: true });
    expect(resolveGatewayConfig({})).toMatchObject({
      mode: 'development',
      graphiql: true,
      introspection: true,
      access: { allow: undefined },
    });
  });

  it('a production gateway answers no introspection and serves no GraphiQL', async () => {
    const production = await gatewayWith({ mode: 'production', access: { allow: [{ functions: ['echo'] }] } });
    try {
      const page = await production.fetch('/graphql', { headers: { accept: 'text/html' } });
      expect(page.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
      const introspection = await production.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __schema { types { name } } }' }),
      });
      const body = (await introspection.json()) as { errors?: Array<{ message: string }> };
      expect(body.errors?.[0]?.message).toMatch(/introspection/i);
    } finally {
      await production.close();
    }
  });

  it('suggests field names in development only', async () => {
    const query = JSON.stringify({ query: '{ gatewy { region } }' });
    const ask = async (target: UnitGateway) => {
      const response = await target.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: query,
      });
      return ((await response.json()) as { errors: Array<{ message: string }> }).errors[0]?.message ?? '';
    };
    const development = await gatewayWith();
    const production = await gatewayWith({ mode: 'production', access: { allow: [{ functions: ['echo'] }] } });
    try {
      expect(await ask(development)).toBe('Cannot query field "gatewy" on type "Query". Did you mean "gateway"?');
      expect(await ask(production)).toBe('Cannot query field "gatewy" on type "Query".');
    } finally {
      await development.close();
      await production.close();
    }
  });

  it('names the key, the bad value and what is allowed', () => {
    expect(() => resolveGatewayConfig({ mode: 'staging' as never })).toThrow(/mode: must be development or production \(got "staging"\)/);
    expect(() => resolveGatewayConfig({ access: { allow: [{ functions: ['echo'], invocationTypes: ['Sync' as never] }] } })).toThrow(
      /access\.allow\.0\.invocationTypes\.0: must be RequestResponse, Event or DryRun \(got "Sync"\)/,
    );
    expect(() => resolveGatewayConfig({ invokeTimeoutMs: -5 })).toThrow(/invokeTimeoutMs: Too small/);
    expect(() => resolveGatewayConfig({ colour: 'blue' } as never)).toThrow(
      /colour: not a setting of the configuration, which takes mode, /,
    );
  });
});

describe('configuration files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'llgw-config-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads JSON, YAML and TypeScript files into the same options', async () => {
    const options = { mode: 'production', access: { allow: [{ functions: ['echo'] }] }, maxBatchSize: 7 };
    await writeFile(path.join(dir, 'gateway.json'), JSON.stringify(options));
    await writeFile(path.join(dir, 'gateway.yaml'), 'mode: production\naccess:\n  allow:\n    - functions: [echo]\nmaxBatchSize: 7\n');
    await writeFile(path.join(dir, 'gateway.config.ts'), `export default ${JSON.stringify(options)} satisfies Record<string, unknown>;\n`);
    for (const file of ['gateway.json', 'gateway.yaml', 'gateway.config.ts']) {
      const resolved = resolveGatewayConfig({
        ...(await loadConfigFile(path.join(dir, file))),
        lambda: { kind: 'local', functions: FIXTURE_FUNCTIONS },
      });
      expect(resolved).toMatchObject({ mode: 'production', maxBatchSize: 7, access: { allow: [{ functions: ['echo'] }] } });
    }
  });

  it('says which file could not be read and why', async () => {
    await writeFile(path.join(dir, 'broken.json'), '{ "mode": ');
    await expect(loadConfigFile(path.join(dir, 'broken.json'))).rejects.toThrow(
      new RegExp(`${path.join(dir, 'broken.json')}: cannot read the configuration`),
    );
    await expect(loadConfigFile(path.join(dir, 'gateway.toml'))).rejects.toThrow(/a configuration file is \.json, \.yaml/);
  });
});

describe('authorization per principal', () => {
  const OPS_KEY = 'ops-key-0123456789abcdef';
  const APP_KEY = 'app-key-0123456789abcdef';
  const ops = { 'x-api-key': OPS_KEY };
  const app = { 'x-api-key': APP_KEY };
  const hash = (key: string) => createHash('sha256').update(key).digest('hex');
  let gateway: UnitGateway;
  beforeAll(async () => {
    gateway = await gatewayWith({
      destinations: { secret: 'authorization-tests-secret' },
      auth: {
        apiKeys: [
          { id: 'ops', sha256: hash(OPS_KEY), roles: ['ops'] },
          { id: 'app', sha256: hash(APP_KEY), roles: ['app'] },
        ],
      },
      access: {
        allow: [
          { functions: ['*'], roles: ['ops'] },
          { functions: ['echo', 'fail', 'noop'], roles: ['app'], tailLogs: false, errorDetails: false },
        ],
      },
    });
  });
  const lambdaRequests = () => gateway.invoker.calls.length;
  afterAll(() => gateway.close());

  it('shows function error details to a role allowed them, and hides them (with a correlation id) from others', async () => {
    const full = (
      await gateway.execute(InvokeFunctionDocument, { input: { functionName: 'fail', payload: { message: 'secret detail' } } }, ops)
    ).data?.invokeFunction;
    expect(full).toMatchObject({ __typename: 'Invocation', functionError: { errorType: 'FixtureError', errorMessage: 'secret detail' } });
    const hidden = (
      await gateway.execute(InvokeFunctionDocument, { input: { functionName: 'fail', payload: { message: 'secret detail' } } }, app)
    ).data?.invokeFunction;
    if (hidden?.__typename !== 'Invocation') throw new Error('expected an invocation');
    expect(hidden.functionError).toEqual({
      kind: 'Unhandled',
      errorType: 'Hidden',
      errorMessage: `The function failed; its error details are not shown to this caller (correlation id ${hidden.requestId})`,
      stackTrace: [],
    });
    expect([hidden.payloadJson, hidden.payloadText]).toEqual([null, null]);
    // A success is not an error: its payload is shown.
    const ok = (await gateway.execute(InvokeFunctionDocument, { input: { functionName: 'echo', payload: 3 } }, app)).data?.invokeFunction;
    expect(ok).toMatchObject({ payloadJson: 3 });
  });

  it('refuses Tail logs to a role without them, and functions outside its rules, before any call', async () => {
    const before = lambdaRequests();
    const tail = await gateway.execute(InvokeFunctionDocument, { input: { functionName: 'echo', logType: 'TAIL' } }, app);
    expect(tail.errors?.[0]).toMatchObject({
      message: expect.stringContaining('Tail logs of echo as RequestResponse are not allowed') as unknown,
      extensions: { code: 'FORBIDDEN' },
    });
    const outside = await gateway.execute(InvokeFunctionDocument, { input: { functionName: 'sleep' } }, app);
    expect(outside.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(lambdaRequests() - before).toBe(0);
    expect(
      (await gateway.execute(InvokeFunctionDocument, { input: { functionName: 'echo', logType: 'TAIL' } }, ops)).data?.invokeFunction,
    ).toMatchObject({ __typename: 'Invocation' });
  });
});

describe('client context policies', () => {
  const SIGNING_SECRET = 'client-context-signing-secret-0123456789';
  const KEY = 'cc-key-0123456789abcdef';
  const seenBy = async (target: UnitGateway, headers: Record<string, string> = {}) => {
    const result = await target.execute(
      InvokeFunctionDocument,
      { input: { functionName: 'context', clientContext: { custom: { role: 'admin' } } } },
      headers,
    );
    const outcome = result.data?.invokeFunction;
    if (outcome?.__typename !== 'Invocation') throw new Error(JSON.stringify(result));
    return (outcome.payloadJson as { clientContext: unknown }).clientContext;
  };

  it('sign: the function gets the gateway’s signed claims instead of what the caller sent', async () => {
    const signing = await gatewayWith({
      clientContext: { policy: 'sign', secret: SIGNING_SECRET },
      auth: { apiKeys: [{ id: 'billing', sha256: createHash('sha256').update(KEY).digest('hex'), roles: ['billing'] }] },
    });
    try {
      const seen = await seenBy(signing, { 'x-api-key': KEY });
      const claims = verifyGatewayClientContext(SIGNING_SECRET, seen);
      expect(claims).toMatchObject({ principal: { kind: 'api-key', id: 'billing', roles: ['billing'] } });
      expect(claims?.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.stringify(seen)).not.toContain('admin');
      // A tampered or foreign context does not verify.
      const tampered = JSON.parse(JSON.stringify(seen)) as { custom: { gateway: { principal: { roles: string[] } } } };
      tampered.custom.gateway.principal.roles = ['admin'];
      expect(verifyGatewayClientContext(SIGNING_SECRET, tampered)).toBeUndefined();
      expect(verifyGatewayClientContext('another-secret-another-secret-0123', seen)).toBeUndefined();
    } finally {
      await signing.close();
    }
  });

  it('drop sends none; pass (the default) sends the caller’s', async () => {
    const dropping = await gatewayWith({ clientContext: { policy: 'drop' } });
    const passing = await gatewayWith();
    try {
      expect(await seenBy(dropping)).toBeNull();
      expect(await seenBy(passing)).toEqual({ custom: { role: 'admin' } });
    } finally {
      await dropping.close();
      await passing.close();
    }
  });

  it('sign without a secret stops start-up', () => {
    expect(() => resolveGatewayConfig({ clientContext: { policy: 'sign' } })).toThrow(/clientContext: policy sign needs a secret/);
  });
});
