/**
 * The shape mapping of the catalog: definitions → Lambda's FunctionConfiguration and
 * AliasConfiguration, pure, with the facts read from disk given in.
 */
import { describe, expect, it } from 'vitest';
import type { AliasDefinition, CodeConfig, FunctionDefinition } from '../../src/local-lambda/definitions.ts';
import {
  aliasConfiguration,
  type CatalogFacts,
  functionConfiguration,
  lambdaTimestamp,
  revisionId,
} from '../../src/local-lambda/function-configuration.ts';

const ARN = 'arn:aws:lambda:eu-west-1:111122223333:function';

function code(overrides: Partial<CodeConfig> = {}): CodeConfig {
  return {
    modulePath: '/fns/api/latest.ts',
    exportName: 'handler',
    handler: 'api/latest.handler',
    timeoutSeconds: 10,
    memorySizeMb: 256,
    environment: {},
    description: 'the API',
    ...overrides,
  };
}

const definition: FunctionDefinition = {
  name: 'api',
  description: 'the API',
  runtime: 'nodejs24.x',
  runtimeKind: 'node',
  latest: code({ environment: { STAGE: 'dev' } }),
  versions: new Map([['1', code({ modulePath: '/fns/api/v1.ts', handler: 'api/v1.handler', description: 'first' })]]),
  aliases: new Map(),
  reservedConcurrency: undefined,
  async: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 21_600, onSuccess: undefined, onFailure: undefined },
  taskRoot: '/fns',
};

const facts: CatalogFacts = {
  region: 'eu-west-1',
  accountId: '111122223333',
  lastModified: () => '2026-12-02T10:00:00.000+0000',
  code: (modulePath) => ({ sha256: `sha-of-${modulePath}`, size: modulePath.length }),
};

describe('functionConfiguration', () => {
  it('describes $LATEST under the unqualified ARN, with every member Lambda answers GetFunctionConfiguration with', () => {
    expect(functionConfiguration(definition, '$LATEST', facts)).toStrictEqual({
      FunctionName: 'api',
      FunctionArn: `${ARN}:api`,
      Runtime: 'nodejs24.x',
      Role: 'arn:aws:iam::111122223333:role/local-lambda-execution-role',
      Handler: 'api/latest.handler',
      CodeSize: '/fns/api/latest.ts'.length,
      Description: 'the API',
      Timeout: 10,
      MemorySize: 256,
      LastModified: '2026-12-02T10:00:00.000+0000',
      CodeSha256: 'sha-of-/fns/api/latest.ts',
      Version: '$LATEST',
      Environment: { Variables: { STAGE: 'dev' } },
      TracingConfig: { Mode: 'PassThrough' },
      RevisionId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/) as string,
      State: 'Active',
      LastUpdateStatus: 'Successful',
      PackageType: 'Zip',
      Architectures: ['x86_64'],
      EphemeralStorage: { Size: 512 },
      SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
      LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/api' },
    });
  });

  it('qualifies the ARN as asked, describes the version, and leaves out an empty environment', () => {
    const v1 = functionConfiguration(definition, '1', facts, { arnQualifier: 'live' });
    expect(v1).toMatchObject({ FunctionArn: `${ARN}:api:live`, Version: '1', Handler: 'api/v1.handler', Description: 'first' });
    expect(v1).not.toHaveProperty('Environment');
  });

  it('leaves out the state members in listings', () => {
    const listed = functionConfiguration(definition, '$LATEST', facts, { listing: true });
    expect(listed).not.toHaveProperty('State');
    expect(listed).not.toHaveProperty('LastUpdateStatus');
    expect({ ...listed, State: 'Active', LastUpdateStatus: 'Successful' }).toStrictEqual(
      functionConfiguration(definition, '$LATEST', facts),
    );
  });

  it('keeps the RevisionId from call to call, and changes it with the version or the code', () => {
    const a = functionConfiguration(definition, '$LATEST', facts).RevisionId;
    expect(functionConfiguration(definition, '$LATEST', facts).RevisionId).toBe(a);
    expect(functionConfiguration(definition, '1', facts).RevisionId).not.toBe(a);
    const edited: CatalogFacts = { ...facts, code: () => ({ sha256: 'edited', size: 1 }) };
    expect(functionConfiguration(definition, '$LATEST', edited).RevisionId).not.toBe(a);
  });

  it('throws for a version the definition does not have (the registry answers not-found before)', () => {
    expect(() => functionConfiguration(definition, '7', facts)).toThrow("function 'api' has no version '7'");
  });
});

describe('aliasConfiguration', () => {
  const plain: AliasDefinition = { functionVersion: '1', description: '', additionalVersionWeights: new Map() };
  const shifting: AliasDefinition = { functionVersion: '1', description: 'canary', additionalVersionWeights: new Map([['2', 0.1]]) };

  it('answers AliasArn, Name, FunctionVersion, Description and RevisionId, without RoutingConfig when not shifting', () => {
    expect(aliasConfiguration(definition, 'live', plain, facts)).toStrictEqual({
      AliasArn: `${ARN}:api:live`,
      Name: 'live',
      FunctionVersion: '1',
      Description: '',
      RevisionId: expect.any(String) as string,
    });
  });

  it('adds RoutingConfig.AdditionalVersionWeights when shifting traffic, and a different RevisionId', () => {
    const shifted = aliasConfiguration(definition, 'live', shifting, facts);
    expect(shifted).toMatchObject({ Description: 'canary', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } } });
    expect(shifted.RevisionId).not.toBe(aliasConfiguration(definition, 'live', plain, facts).RevisionId);
  });
});

describe('formats', () => {
  it("lambdaTimestamp writes Lambda's LastModified: milliseconds and +0000", () => {
    expect(lambdaTimestamp(new Date(Date.UTC(2026, 11, 2, 10, 0, 0, 5)))).toBe('2026-12-02T10:00:00.005+0000');
  });

  it('revisionId is UUID-shaped and a function of its parts', () => {
    expect(revisionId('a', 1)).toBe(revisionId('a', 1));
    expect(revisionId('a', 1)).not.toBe(revisionId('a', 2));
    expect(revisionId('a')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});
