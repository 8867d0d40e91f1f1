/** Closed-loop load: `noop` through `@aws-sdk/client-lambda`, and runs of many calls at a fixed concurrency. */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

export const NOOP = 'noop';
export const NOOP_PAYLOAD = new TextEncoder().encode('{}');
/** A run in which no call completes for this long is abandoned. */
const STALL_MS = 30_000;

/** An SDK client for a local Lambda at `endpoint`: dummy credentials, no retries. */
export function localLambdaClient(endpoint: string): LambdaClient {
  return new LambdaClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    maxAttempts: 1,
  });
}

/**
 * Invokes `noop` (or another function that answers `null`: the Python and custom-runtime noops)
 * with payload {} through the SDK; throws unless it answers as `noop` does.
 */
export async function invokeNoopDirect(client: LambdaClient, functionName: string = NOOP, qualifier?: string): Promise<void> {
  const output = await client.send(new InvokeCommand({ FunctionName: functionName, Payload: NOOP_PAYLOAD, Qualifier: qualifier }));
  const payload = output.Payload;
  // `noop` returns nothing: Lambda answers 200 with the 4 bytes `null`.
  if (output.StatusCode !== 200 || output.FunctionError !== undefined || payload?.byteLength !== 4 || payload[0] !== 0x6e) {
    const text = payload === undefined ? '(none)' : Buffer.from(payload).toString('utf8').slice(0, 200);
    throw new Error(
      `unexpected answer from ${functionName}: status ${output.StatusCode}, FunctionError ${output.FunctionError}, payload ${text}`,
    );
  }
}

export interface RunFigures {
  readonly invocations: number;
  readonly concurrency: number;
  readonly elapsedMs: number;
  /** Milliseconds per invocation, in start order. */
  readonly latencies: Float64Array;
}

/**
 * `total` calls of `invokeOnce` from `concurrency` loops, each starting the next one as soon as its
 * own returns. The first failure stops every loop and rejects; so does a stall of `STALL_MS`.
 */
export async function run(invokeOnce: () => Promise<void>, total: number, concurrency: number): Promise<RunFigures> {
  const latencies = new Float64Array(total);
  let next = 0;
  let completed = 0;
  let failed = false;
  const loop = async (): Promise<void> => {
    while (!failed) {
      const index = next++;
      if (index >= total) return;
      const started = performance.now();
      try {
        await invokeOnce();
      } catch (error) {
        failed = true;
        throw error;
      }
      latencies[index] = performance.now() - started;
      completed += 1;
    }
  };

  let watchdog: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    let seen = -1;
    let lastProgress = performance.now();
    watchdog = setInterval(() => {
      if (completed !== seen) {
        seen = completed;
        lastProgress = performance.now();
      } else if (performance.now() - lastProgress > STALL_MS) {
        failed = true;
        reject(new Error(`no invocation completed for ${STALL_MS / 1000} s (${completed} of ${total} done)`));
      }
    }, 1000);
  });
  const started = performance.now();
  try {
    const loops = Array.from({ length: Math.min(concurrency, total) }, loop);
    await Promise.race([Promise.all(loops), stalled]);
  } finally {
    clearInterval(watchdog);
  }
  return { invocations: total, concurrency, elapsedMs: performance.now() - started, latencies };
}
