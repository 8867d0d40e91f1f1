/**
 * Definitions as Lambda's catalog describes them: `FunctionConfiguration` (GetFunction,
 * GetFunctionConfiguration, the list operations) and `AliasConfiguration` (GetAlias, ListAliases),
 * with the members, formats and defaults AWS answers with for a Node.js zip function.
 *
 * Pure: what is read from disk (code hashes and sizes) comes in through `CatalogFacts`.
 */
import { createHash } from 'node:crypto';
import { functionArn } from '../protocol/function-name.ts';
import type { AliasDefinition, CodeConfig, FunctionDefinition } from './definitions.ts';

export const LATEST = '$LATEST';

export interface CodeFacts {
  /** Base64 SHA-256 of the handler module, as Lambda gives it for the deployment package. */
  readonly sha256: string;
  /** Bytes. */
  readonly size: number;
}

/** What the mapping needs beyond the definitions. */
export interface CatalogFacts {
  readonly region: string;
  readonly accountId: string;
  /** `LastModified` of a function and its versions, in Lambda's format (`lambdaTimestamp`). */
  readonly lastModified: (functionName: string) => string;
  readonly code: (modulePath: string) => CodeFacts;
}

/** The members of Lambda's `FunctionConfiguration` the local Lambda fills in. */
export interface FunctionConfiguration {
  readonly FunctionName: string;
  readonly FunctionArn: string;
  readonly Runtime: string;
  readonly Role: string;
  readonly Handler: string;
  readonly CodeSize: number;
  readonly Description: string;
  readonly Timeout: number;
  readonly MemorySize: number;
  readonly LastModified: string;
  readonly CodeSha256: string;
  readonly Version: string;
  readonly Environment?: { readonly Variables: Readonly<Record<string, string>> };
  readonly TracingConfig: { readonly Mode: 'PassThrough' };
  readonly RevisionId: string;
  readonly State?: 'Active';
  readonly LastUpdateStatus?: 'Successful';
  readonly PackageType: 'Zip';
  readonly Architectures: readonly ['x86_64'];
  readonly EphemeralStorage: { readonly Size: number };
  readonly SnapStart: { readonly ApplyOn: 'None'; readonly OptimizationStatus: 'Off' };
  readonly LoggingConfig: { readonly LogFormat: 'Text'; readonly LogGroup: string };
}

export interface AliasConfiguration {
  readonly AliasArn: string;
  readonly Name: string;
  readonly FunctionVersion: string;
  readonly Description: string;
  readonly RoutingConfig?: { readonly AdditionalVersionWeights: Readonly<Record<string, number>> };
  readonly RevisionId: string;
}

export interface ConfigurationOptions {
  /**
   * The qualifier the ARN carries: the version or alias asked for. Absent: the unqualified ARN,
   * as Lambda answers for `$LATEST` asked for without a qualifier.
   */
  readonly arnQualifier?: string | undefined;
  /**
   * ListFunctions and ListVersionsByFunction leave out the state members; Lambda documents
   * that only GetFunction and GetFunctionConfiguration return them.
   */
  readonly listing?: boolean;
}

/** The code one version of a definition runs: `$LATEST` or a published version. */
export function codeOf(definition: FunctionDefinition, version: string): CodeConfig | undefined {
  return version === LATEST ? definition.latest : definition.versions.get(version);
}

export function functionConfiguration(
  definition: FunctionDefinition,
  version: string,
  facts: CatalogFacts,
  options: ConfigurationOptions = {},
): FunctionConfiguration {
  const code = codeOf(definition, version);
  if (code === undefined) throw new Error(`function '${definition.name}' has no version '${version}'`);
  const { sha256, size } = facts.code(code.modulePath);
  const environment = Object.keys(code.environment).length > 0 ? { Environment: { Variables: { ...code.environment } } } : {};
  const state = options.listing === true ? {} : { State: 'Active' as const, LastUpdateStatus: 'Successful' as const };
  return {
    FunctionName: definition.name,
    FunctionArn: functionArn(facts.region, facts.accountId, definition.name, options.arnQualifier),
    Runtime: definition.runtime,
    Role: localRoleArn(facts.accountId),
    Handler: code.handler,
    CodeSize: size,
    Description: code.description,
    Timeout: code.timeoutSeconds,
    MemorySize: code.memorySizeMb,
    LastModified: facts.lastModified(definition.name),
    CodeSha256: sha256,
    Version: version,
    ...environment,
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: revisionId(definition.name, version, code, sha256),
    ...state,
    PackageType: 'Zip',
    Architectures: ['x86_64'],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${definition.name}` },
  };
}

export function aliasConfiguration(
  definition: FunctionDefinition,
  name: string,
  alias: AliasDefinition,
  facts: CatalogFacts,
): AliasConfiguration {
  const weights = Object.fromEntries(alias.additionalVersionWeights);
  // Lambda leaves RoutingConfig out of an alias that does not shift traffic.
  const routing = alias.additionalVersionWeights.size > 0 ? { RoutingConfig: { AdditionalVersionWeights: weights } } : {};
  return {
    AliasArn: functionArn(facts.region, facts.accountId, definition.name, name),
    Name: name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    ...routing,
    RevisionId: revisionId(definition.name, name, alias.functionVersion, alias.description, weights),
  };
}

/** An execution role that reads like one: the local Lambda runs every function with the caller's rights. */
export function localRoleArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/local-lambda-execution-role`;
}

/** Lambda's `LastModified` format: `2026-12-02T10:00:00.000+0000` (UTC, offset without a colon). */
export function lambdaTimestamp(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

/**
 * A UUID-shaped digest of what a configuration says, so that it stays the same between calls and
 * restarts and changes when the definition or the code does — what clients compare it for.
 */
export function revisionId(...parts: unknown[]): string {
  const hex = createHash('sha256').update(JSON.stringify(parts)).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
