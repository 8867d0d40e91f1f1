/**
 * Which functions, qualifiers and invocation types may be invoked through this gateway. Checked
 * before any call: a request outside the list is refused with FORBIDDEN and Lambda never hears of
 * it (the gateway's credentials must not make it a confused deputy).
 */
import { GraphQLError } from 'graphql';
import type { InvocationType } from '../protocol/function-name.ts';
import { validateRequestLine } from '../protocol/function-name.ts';
import type { InvokeRequest } from '../lambda/invoker.ts';

export interface AllowRule {
  /** Function names; `*` matches any run of characters (`report-*`). */
  readonly functions: readonly string[];
  /** Qualifiers (`$LATEST`, versions, aliases; `*` allowed). @default any, including none */
  readonly qualifiers?: readonly string[];
  /** @default all three */
  readonly invocationTypes?: readonly InvocationType[];
}

interface CompiledRule {
  readonly functions: readonly RegExp[];
  readonly qualifiers: readonly RegExp[] | undefined;
  readonly invocationTypes: ReadonlySet<InvocationType> | undefined;
}

function glob(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*');
  return new RegExp(`^${escaped}$`);
}

export class Allowlist {
  readonly #rules: readonly CompiledRule[] | undefined;

  /** `undefined` allows everything (development without a list). */
  constructor(rules: readonly AllowRule[] | undefined) {
    this.#rules = rules?.map((rule) => ({
      functions: rule.functions.map(glob),
      qualifiers: rule.qualifiers?.map(glob),
      invocationTypes: rule.invocationTypes === undefined ? undefined : new Set(rule.invocationTypes),
    }));
  }

  get enforced(): boolean {
    return this.#rules !== undefined;
  }

  allows(request: InvokeRequest): boolean {
    if (this.#rules === undefined) return true;
    // Compare the function's own name and the effective qualifier, whatever form the caller used
    // (ARN, partial ARN, `name:alias`), so no spelling slips past a rule.
    const { target } = validateRequestLine({
      functionName: request.functionName,
      qualifier: request.qualifier ?? null,
      invocationType: request.invocationType,
      logType: request.logType,
    });
    return this.#rules.some(
      (rule) =>
        rule.functions.some((pattern) => pattern.test(target.name)) &&
        // No qualifier means $LATEST, and is matched as such.
        (rule.qualifiers === undefined || rule.qualifiers.some((pattern) => pattern.test(target.qualifier ?? '$LATEST'))) &&
        (rule.invocationTypes === undefined || rule.invocationTypes.has(request.invocationType)),
    );
  }

  /** Throws FORBIDDEN naming the first request not allowed; checks all before anything runs. */
  assertAllowed(requests: readonly InvokeRequest[]): void {
    const refused = requests.find((request) => !this.allows(request));
    if (refused === undefined) return;
    const qualifier = refused.qualifier === undefined ? '' : ` (qualifier ${refused.qualifier})`;
    throw new GraphQLError(`Invoking ${refused.functionName}${qualifier} as ${refused.invocationType} is not allowed by this gateway's access rules`, {
      extensions: { code: 'FORBIDDEN', http: { status: 403 } },
    });
  }
}
