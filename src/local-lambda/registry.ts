/**
 * The loaded functions, the resolution of an Invoke target (name, alias, version) to the code
 * that runs, and the lookups of the catalog operations — with AWS's not-found texts, which differ
 * between Invoke (`…:$LATEST` when no qualifier is given) and the catalog (the ARN as asked for).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AliasDefinition, CodeConfig, FunctionDefinition } from './definitions.ts';
import { type CatalogFacts, type CodeFacts, codeOf, LATEST, lambdaTimestamp } from './function-configuration.ts';
import { functionArn, type InvokeTarget } from '../protocol/function-name.ts';
import { LambdaWireError } from './wire-errors.ts';

export interface ResolvedFunction {
  readonly definition: FunctionDefinition;
  /** `$LATEST` or the published version an alias or version qualifier resolved to. */
  readonly executedVersion: string;
  readonly code: CodeConfig;
  /** The ARN as invoked: unqualified without a qualifier, else suffixed with it (alias kept). */
  readonly invokedFunctionArn: string;
  /** Always qualified with the executed version, as destination records carry it. */
  readonly versionArn: string;
}

/** What GetFunction and GetFunctionConfiguration describe. */
export interface CatalogTarget {
  readonly definition: FunctionDefinition;
  /** `$LATEST` or a published version; an alias's `functionVersion`. */
  readonly version: string;
  /** The qualifier as asked for (a version or an alias), if any. */
  readonly qualifier: string | undefined;
}

export interface RegistryOptions {
  /** Picks the version of an alias with routing weights. @default Math.random */
  readonly random?: () => number;
  /** Reported as every function's `LastModified` until a reload changes it. @default now */
  readonly loadedAt?: Date;
}

/**
 * The version an alias invokes for one number in [0, 1): each additional version takes its share
 * of the range from 0 up, the alias's own version the rest — so a share of 0.1 gets 10% of
 * uniformly random numbers.
 */
export function routeAlias(alias: AliasDefinition, random: number): string {
  let bound = 0;
  for (const [version, weight] of alias.additionalVersionWeights) {
    bound += weight;
    if (random < bound) return version;
  }
  return alias.functionVersion;
}

export class FunctionRegistry {
  readonly region: string;
  readonly accountId: string;
  /** What the catalog's shape mapping reads beyond the definitions. */
  readonly facts: CatalogFacts;
  #functions: ReadonlyMap<string, FunctionDefinition>;
  readonly #random: () => number;
  /**
   * Handler files are read once per load: the catalog describes the code as loaded, and stays
   * stable until a reload (which forgets them).
   */
  readonly #codeFacts = new Map<string, CodeFacts>();
  readonly #loadedAt: string;
  /** Functions a reload changed since start-up → when. */
  readonly #modifiedAt = new Map<string, string>();

  constructor(definitions: readonly FunctionDefinition[], region: string, accountId: string, options: RegistryOptions = {}) {
    this.region = region;
    this.accountId = accountId;
    this.#functions = new Map(definitions.map((d) => [d.name, d]));
    this.#random = options.random ?? Math.random;
    this.#loadedAt = lambdaTimestamp(options.loadedAt ?? new Date());
    this.facts = {
      region,
      accountId,
      lastModified: (name) => this.#modifiedAt.get(name) ?? this.#loadedAt,
      code: (modulePath) => this.#code(modulePath),
    };
  }

  /**
   * Takes a reloaded set of definitions (the same one when only code changed): lookups from now
   * on see only it, and `changed` functions report `LastModified` as `at`. An invocation already
   * resolved keeps the definition it resolved to. Handler files are read again when next described.
   */
  reload(definitions: readonly FunctionDefinition[], changed: readonly string[], at: Date = new Date()): void {
    this.#functions = new Map(definitions.map((d) => [d.name, d]));
    const stamp = lambdaTimestamp(at);
    for (const name of changed) this.#modifiedAt.set(name, stamp);
    this.#codeFacts.clear();
  }

  list(): FunctionDefinition[] {
    return [...this.#functions.values()];
  }

  get(name: string): FunctionDefinition | undefined {
    return this.#functions.get(name);
  }

  /** Resolves a validated Invoke target, or throws `ResourceNotFoundException` with AWS's text. */
  resolve(target: InvokeTarget): ResolvedFunction {
    const notFound = (): LambdaWireError => this.#notFound(target, target.qualifier ?? LATEST);
    const definition = this.#definition(target, notFound);
    const qualifier = target.qualifier;
    let executedVersion = LATEST;
    if (qualifier !== undefined && qualifier !== LATEST) {
      const alias = definition.aliases.get(qualifier);
      const version = definition.versions.has(qualifier) ? qualifier : alias && routeAlias(alias, this.#random());
      if (version === undefined) throw notFound();
      executedVersion = version;
    }
    const code = codeOf(definition, executedVersion);
    if (code === undefined) throw notFound();
    return {
      definition,
      executedVersion,
      code,
      invokedFunctionArn: functionArn(this.region, this.accountId, definition.name, qualifier),
      versionArn: functionArn(this.region, this.accountId, definition.name, executedVersion),
    };
  }

  /** The function and version GetFunction / GetFunctionConfiguration describe; an alias is not routed. */
  describe(target: InvokeTarget): CatalogTarget {
    const notFound = (): LambdaWireError => this.#notFound(target, target.qualifier);
    const definition = this.#definition(target, notFound);
    const qualifier = target.qualifier;
    const version = qualifier === undefined ? LATEST : (definition.aliases.get(qualifier)?.functionVersion ?? qualifier);
    if (codeOf(definition, version) === undefined) throw notFound();
    return { definition, version, qualifier };
  }

  /**
   * The function of ListVersionsByFunction, ListAliases and GetAlias. They act on the function
   * as a whole, so a qualifier in the name does not matter.
   */
  function(target: InvokeTarget): FunctionDefinition {
    return this.#definition(target, () => this.#notFound(target, undefined));
  }

  /** GetAlias's alias, or AWS's text for a missing one (not the "Function not found" of the other operations). */
  alias(definition: FunctionDefinition, name: string): AliasDefinition {
    const alias = definition.aliases.get(name);
    if (alias === undefined) {
      throw new LambdaWireError(
        'ResourceNotFoundException',
        `Cannot find alias arn: ${functionArn(this.region, this.accountId, definition.name, name)}`,
      );
    }
    return alias;
  }

  #definition(target: InvokeTarget, notFound: () => LambdaWireError): FunctionDefinition {
    if (target.region !== undefined && target.region !== this.region) {
      throw new LambdaWireError(
        'ResourceNotFoundException',
        `Functions from '${target.region}' are not reachable in this region ('${this.region}')`,
      );
    }
    const account = target.account ?? this.accountId;
    const definition = account === this.accountId ? this.#functions.get(target.name) : undefined;
    if (definition === undefined) throw notFound();
    return definition;
  }

  #notFound(target: InvokeTarget, qualifier: string | undefined): LambdaWireError {
    const arn = functionArn(this.region, target.account ?? this.accountId, target.name, qualifier);
    return new LambdaWireError('ResourceNotFoundException', `Function not found: ${arn}`);
  }

  #code(modulePath: string): CodeFacts {
    let facts = this.#codeFacts.get(modulePath);
    if (facts === undefined) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(modulePath);
      } catch {
        // Gone since start-up: described as empty rather than failing a read-only call.
        bytes = Buffer.alloc(0);
      }
      facts = { sha256: createHash('sha256').update(bytes).digest('base64'), size: bytes.byteLength };
      this.#codeFacts.set(modulePath, facts);
    }
    return facts;
  }
}
