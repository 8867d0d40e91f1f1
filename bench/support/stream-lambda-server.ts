/**
 * The local Lambda as `bench/stream` runs it: a separate process (child_process.fork with
 * `--expose-gc`) serving `bench/stream/functions` (the `stream-bytes` fixture), shared by both
 * paths the benchmark compares — the SDK called from the benchmark process and the gateway child —
 * so both read the very same server and the difference is the gateway alone.
 *
 * Lambda's streaming bandwidth cap (2 MiB/s after the first 6 MiB, which the local Lambda
 * enforces by default) is lifted here: under it a 20 MB stream takes 7 s whoever reads it, and the
 * throughput compared would be the cap's. The size cap stays as it is.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalLambda } from '../../src/local-lambda/server.ts';
import { closeThenExit, forkedWithGc, runChild, serveParent } from '../harness/child.ts';

const FUNCTIONS = path.join(fileURLToPath(new URL('../stream/functions/', import.meta.url)));

async function main(): Promise<void> {
  const gc = forkedWithGc();
  const running = await startLocalLambda({
    functions: FUNCTIONS,
    port: 0,
    streaming: { uncappedBytes: Number.MAX_SAFE_INTEGER, bytesPerSecond: Number.MAX_SAFE_INTEGER },
  });
  const close = closeThenExit(() =>
    running.close(1000).catch((error: unknown) => console.error('closing the local Lambda failed:', error)),
  );
  serveParent({ url: running.endpoint, gc, close, methods: {} });
}

runChild(main);
