import { setTimeout as sleep } from 'node:timers/promises';
import type { Handler } from 'aws-lambda';

/** Waits `event.ms` milliseconds (default 100); the 3-second timeout turns long waits into Sandbox.Timedout. */
export const handler: Handler<{ ms?: number }, { sleptMs: number }> = async (event, context) => {
  const ms = event.ms ?? 100;
  console.log(`sleeping ${ms} ms; ${context.getRemainingTimeInMillis()} ms left before the timeout`);
  await sleep(ms);
  return { sleptMs: ms };
};
