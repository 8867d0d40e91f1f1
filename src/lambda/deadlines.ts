/**
 * Per-function invocation deadlines. A report that legitimately runs for minutes and a lookup that
 * should answer in a second need different deadlines; one gateway-wide value is either too short
 * for the first or far too long for the second (a stuck call holds a socket and a concurrency slot
 * for the whole deadline). The first rule that matches the function's own name (and qualifier)
 * decides; otherwise the gateway-wide `invokeTimeoutMs` applies.
 */
import { glob } from '../protocol/function-pattern.ts';
import type { InvokeTarget } from '../protocol/function-name.ts';

export interface FunctionTimeoutRule {
  /** Function names; `*` matches any run of characters (`report-*`), as in access rules. */
  readonly functions: readonly string[];
  /** Qualifiers (`$LATEST`, versions, aliases; `*` allowed); no qualifier means `$LATEST`. @default any */
  readonly qualifiers?: readonly string[];
  /** How long the gateway waits for Lambda's answer, throttle retries included. */
  readonly timeoutMs: number;
}

interface CompiledRule {
  readonly functions: readonly RegExp[];
  readonly qualifiers: readonly RegExp[] | undefined;
  readonly timeoutMs: number;
}

export class FunctionDeadlines {
  readonly #rules: readonly CompiledRule[];
  readonly #defaultMs: number;

  constructor(rules: readonly FunctionTimeoutRule[], defaultMs: number) {
    this.#rules = rules.map((rule) => ({
      functions: rule.functions.map(glob),
      qualifiers: rule.qualifiers?.map(glob),
      timeoutMs: rule.timeoutMs,
    }));
    this.#defaultMs = defaultMs;
  }

  /** The deadline of an invocation of `target` (its own name and effective qualifier, never an ARN spelling). */
  timeoutMsOf(target: InvokeTarget): number {
    for (const rule of this.#rules) {
      if (!rule.functions.some((pattern) => pattern.test(target.name))) continue;
      if (rule.qualifiers !== undefined && !rule.qualifiers.some((pattern) => pattern.test(target.qualifier ?? '$LATEST'))) continue;
      return rule.timeoutMs;
    }
    return this.#defaultMs;
  }
}
