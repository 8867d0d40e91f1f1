/**
 * Who may invoke what. Each rule names functions (and optionally qualifiers, invocation types and
 * the roles it is for) and what its holders may see (log tails, function error details). A request
 * no rule allows is refused with FORBIDDEN before any call: Lambda never hears of it, so the
 * gateway's credentials cannot be borrowed to run anything else (a confused deputy).
 *
 * Without rules (development) everything is allowed and everything is shown.
 */
import { forbidden } from '../errors.ts';
import type { Principal } from '../auth/authenticator.ts';
import type { InvocationType } from '../protocol/function-name.ts';
import type { InvokeRequest } from '../lambda/invoker.ts';
import { glob } from '../protocol/function-pattern.ts';

export interface AllowRule {
  /** Function names; `*` matches any run of characters (`report-*`). */
  readonly functions: readonly string[];
  /** Qualifiers (`$LATEST`, versions, aliases; `*` allowed); none given means `$LATEST`. @default any */
  readonly qualifiers?: readonly string[];
  /** @default all three */
  readonly invocationTypes?: readonly InvocationType[];
  /** The roles the rule is for (API key roles, JWT roles claim). @default everyone, anonymous included */
  readonly roles?: readonly string[];
  /** May request `logType: TAIL` (logs can hold secrets). @default true */
  readonly tailLogs?: boolean;
  /** May see a failed function's error type, message, stack and payload; otherwise masked. @default true */
  readonly errorDetails?: boolean;
}

/** What a principal may see of one function's invocations. */
export interface Grants {
  readonly tailLogs: boolean;
  readonly errorDetails: boolean;
}

const EVERYTHING: Grants = { tailLogs: true, errorDetails: true };

interface CompiledRule {
  readonly functions: readonly RegExp[];
  readonly qualifiers: readonly RegExp[] | undefined;
  readonly invocationTypes: ReadonlySet<InvocationType> | undefined;
  readonly roles: ReadonlySet<string> | undefined;
  readonly grants: Grants;
}

export interface Target {
  readonly functionName: string;
  /** Undefined means `$LATEST`. */
  readonly qualifier: string | undefined;
  /** Undefined when asking about any invocation type (reading records). */
  readonly invocationType: InvocationType | undefined;
}

export class Allowlist {
  readonly #rules: readonly CompiledRule[] | undefined;

  /** `undefined` allows everything (development without a list). */
  constructor(rules: readonly AllowRule[] | undefined) {
    this.#rules = rules?.map((rule) => ({
      functions: rule.functions.map(glob),
      qualifiers: rule.qualifiers?.map(glob),
      invocationTypes: rule.invocationTypes === undefined ? undefined : new Set(rule.invocationTypes),
      roles: rule.roles === undefined ? undefined : new Set(rule.roles),
      grants: { tailLogs: rule.tailLogs ?? true, errorDetails: rule.errorDetails ?? true },
    }));
  }

  /** What `principal` may do with `target`: undefined when nothing is allowed. */
  grants(principal: Principal, target: Target): Grants | undefined {
    if (this.#rules === undefined) return EVERYTHING;
    let granted: Grants | undefined;
    for (const rule of this.#rules) {
      if (!namesFor(rule, principal, target.functionName)) continue;
      // No qualifier means $LATEST, and is matched as such.
      if (rule.qualifiers !== undefined && !rule.qualifiers.some((pattern) => pattern.test(target.qualifier ?? '$LATEST'))) continue;
      if (target.invocationType !== undefined && rule.invocationTypes !== undefined && !rule.invocationTypes.has(target.invocationType))
        continue;
      // Rules add up: a grant from any matching rule counts.
      granted = {
        tailLogs: (granted?.tailLogs ?? false) || rule.grants.tailLogs,
        errorDetails: (granted?.errorDetails ?? false) || rule.grants.errorDetails,
      };
    }
    return granted;
  }

  /**
   * Whether some rule for `principal` names `functionName`, whatever qualifiers it allows: the
   * function may be invocable with one of its versions or aliases even when `$LATEST` is not. The
   * catalog asks this before it reads which qualifiers the function has.
   */
  namesFunction(principal: Principal, functionName: string): boolean {
    return this.#rules === undefined || this.#rules.some((rule) => namesFor(rule, principal, functionName));
  }

  /**
   * The grants for each request, or FORBIDDEN naming the first one not allowed. Every request is
   * checked before any runs.
   */
  authorize(principal: Principal, requests: readonly InvokeRequest[]): Grants[] {
    return requests.map((request) => {
      // Compare the function's own name and effective qualifier, whatever form the caller used
      // (ARN, partial ARN, `name:alias`), so no spelling slips past a rule.
      const { target } = request;
      const described = `${request.functionName}${target.qualifier === undefined ? '' : ` (qualifier ${target.qualifier})`} as ${request.invocationType}`;
      const grants = this.grants(principal, {
        functionName: target.name,
        qualifier: target.qualifier,
        invocationType: request.invocationType,
      });
      if (grants === undefined) throw forbidden(`Invoking ${described} is not allowed by this gateway's access rules`);
      if (request.logType === 'Tail' && !grants.tailLogs)
        throw forbidden(`Tail logs of ${described} are not allowed by this gateway's access rules`);
      return grants;
    });
  }
}

/** Whether `rule` is for one of the principal's roles and names the function. */
function namesFor(rule: CompiledRule, principal: Principal, functionName: string): boolean {
  if (rule.roles !== undefined && !principal.roles.some((role) => rule.roles?.has(role))) return false;
  return rule.functions.some((pattern) => pattern.test(functionName));
}
