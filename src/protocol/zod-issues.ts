/**
 * How every refusal built from a zod issue names the key and quotes the value:
 * `mode: must be development or production (got "staging")`. The gateway's and the local Lambda's
 * configuration errors and the destination record's 400 text all use it, so it lives in protocol/,
 * the one folder both sides import (it depends on nothing, not even zod).
 */

/** `async.retryDelaysMs.0`; `(root)` when the issue is about the whole value. */
export function issueKey(path: readonly PropertyKey[]): string {
  return path.map(String).join('.') || '(root)';
}

/** ` (got "staging")`: the value at fault as JSON; nothing when there is no value to quote. */
export function quotedValue(value: unknown): string {
  return value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
}
