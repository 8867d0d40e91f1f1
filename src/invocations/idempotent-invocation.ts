/**
 * The idempotency step of the pipeline. With an idempotency key, a request runs at most once per
 * caller and key: a replay gets the remembered outcome (without invoking, and without being
 * observed again: it was observed when it ran), a different request under the same key a
 * conflict. Only an invocation Lambda accepted is remembered; a refusal releases the key so the
 * caller may retry with it.
 */
import { createHash } from 'node:crypto';
import { type Principal, principalKey } from '../auth/authenticator.ts';
import type { IdempotencyStore } from '../idempotency/idempotency-store.ts';
import { IdempotencyConflictError, InvalidInvocationError } from '../lambda/errors.ts';
import { Invocation } from '../lambda/invocation.ts';
import type { InvocationOutcome } from '../lambda/invocation-loader.ts';
import type { InvokeRequest } from '../lambda/invoker.ts';
import { GATEWAY_VALIDATION } from '../lambda/request-checks.ts';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** Runs `invoke` at most once for `key` (none: always), under `principal`'s own keys. */
export async function invokeIdempotently(
  store: IdempotencyStore,
  principal: Principal,
  key: string | null | undefined,
  request: InvokeRequest,
  invoke: () => Promise<InvocationOutcome>,
): Promise<InvocationOutcome> {
  if (key === undefined || key === null) return invoke();
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    return new InvalidInvocationError(
      `idempotencyKey must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters; got ${key.length}`,
      GATEWAY_VALIDATION,
      undefined,
    );
  }
  const scoped = `${principalKey(principal)}:${key}`;
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([request.functionName, request.qualifier, request.invocationType, request.logType, request.clientContext]))
    .update(request.payload)
    .digest('hex');
  const claim = await store.claim(scoped, fingerprint);
  if (claim.kind === 'replay') return Invocation.fromStored(claim.stored);
  if (claim.kind !== 'claimed') return new IdempotencyConflictError(key, claim.kind);
  let outcome: InvocationOutcome;
  try {
    outcome = await invoke();
  } catch (error) {
    await store.release(scoped);
    throw error;
  }
  if (outcome instanceof Invocation) await store.complete(scoped, fingerprint, outcome.toStored());
  else await store.release(scoped);
  return outcome;
}
