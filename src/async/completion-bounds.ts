/**
 * How long an Event invocation may take to report its outcome, from its 202: past that, with no
 * destination record, it can no longer complete. Lambda stops trying an event at its maximum age
 * (checked before every attempt, retries and throttles included), so the last attempt starts by
 * then and runs at most the function's timeout; the record then needs time to travel.
 */
import type { FunctionDefinition } from '../local-lambda/definitions.ts';

/**
 * What AWS allows at most, for a gateway that cannot see the functions' settings: 6 hours of
 * event age, a last attempt of up to 15 minutes, and 15 minutes for the record to reach the
 * gateway (relays such as EventBridge and SQS retry too).
 */
export const AWS_COMPLETION_BOUND_MS = (6 * 3600 + 15 * 60 + 15 * 60) * 1000;

/** The built-in local Lambda retries a failed delivery at least once a minute. */
const LOCAL_DELIVERY_MARGIN_MS = 5 * 60_000;

export interface CompletionBounds {
  /** For an invocation of this function. */
  expireAfterMs(functionName: string): number;
  /** The longest of all: what a follower waits for an id it knows nothing about. */
  readonly longestMs: number;
}

/** `configured` wins; else each function's own bound when its definition is known, else AWS's. */
export function completionBounds(configured: number | undefined, definitions: readonly FunctionDefinition[] | undefined): CompletionBounds {
  if (configured !== undefined) return { expireAfterMs: () => configured, longestMs: configured };
  if (definitions === undefined || definitions.length === 0)
    return { expireAfterMs: () => AWS_COMPLETION_BOUND_MS, longestMs: AWS_COMPLETION_BOUND_MS };
  const byName = new Map(definitions.map((definition) => [definition.name, localBoundMs(definition)]));
  return {
    expireAfterMs: (functionName) => byName.get(functionName) ?? AWS_COMPLETION_BOUND_MS,
    longestMs: Math.max(...byName.values()),
  };
}

function localBoundMs(definition: FunctionDefinition): number {
  const timeouts = [definition.latest, ...definition.versions.values()].map((code) => code.timeoutSeconds);
  return (definition.async.maximumEventAgeInSeconds + Math.max(...timeouts)) * 1000 + LOCAL_DELIVERY_MARGIN_MS;
}
