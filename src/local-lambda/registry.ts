/**
 * The loaded functions, and the resolution of an Invoke target (name, alias, version) to the code
 * that runs — with AWS's not-found texts.
 */
import type { CodeConfig, FunctionDefinition } from './definitions.ts';
import { functionArn, type InvokeTarget } from '../protocol/function-name.ts';
import { LambdaWireError } from './wire-errors.ts';

export const LATEST = '$LATEST';

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

export class FunctionRegistry {
  readonly region: string;
  readonly accountId: string;
  readonly #functions: ReadonlyMap<string, FunctionDefinition>;

  constructor(definitions: readonly FunctionDefinition[], region: string, accountId: string) {
    this.region = region;
    this.accountId = accountId;
    this.#functions = new Map(definitions.map((d) => [d.name, d]));
  }

  list(): FunctionDefinition[] {
    return [...this.#functions.values()];
  }

  get(name: string): FunctionDefinition | undefined {
    return this.#functions.get(name);
  }

  /** Resolves a validated target, or throws `ResourceNotFoundException` with AWS's text. */
  resolve(target: InvokeTarget): ResolvedFunction {
    if (target.region !== undefined && target.region !== this.region) {
      throw new LambdaWireError(
        'ResourceNotFoundException',
        `Functions from '${target.region}' are not reachable in this region ('${this.region}')`,
      );
    }
    const account = target.account ?? this.accountId;
    const notFound = (): LambdaWireError =>
      new LambdaWireError(
        'ResourceNotFoundException',
        `Function not found: ${functionArn(this.region, account, target.name, target.qualifier ?? LATEST)}`,
      );
    const definition = account === this.accountId ? this.#functions.get(target.name) : undefined;
    if (definition === undefined) throw notFound();

    const qualifier = target.qualifier;
    let executedVersion = LATEST;
    if (qualifier !== undefined && qualifier !== LATEST) {
      const version = definition.versions.has(qualifier) ? qualifier : definition.aliases.get(qualifier);
      if (version === undefined) throw notFound();
      executedVersion = version;
    }
    const code = executedVersion === LATEST ? definition.latest : definition.versions.get(executedVersion);
    if (code === undefined) throw notFound();
    return {
      definition,
      executedVersion,
      code,
      invokedFunctionArn: functionArn(this.region, this.accountId, definition.name, qualifier),
      versionArn: functionArn(this.region, this.accountId, definition.name, executedVersion),
    };
  }
}
