/**
 * Phase 1 of `bench/stream`: the big stream (20 MiB) through the gateway to a reader taking
 * `--slow-kb-per-second` — slower than the local Lambda and the gateway can go, so either the
 * gateway passes the backpressure on (its socket's, to the SDK's stream, to the local Lambda,
 * which stalls the handler's writes) or it buffers what the reader has not taken yet. The
 * gateway's RSS is read every `--sample-ms` while it streams, and its peak RSS (maxRSS) at the
 * end: growth over the baseline taken after full collections is what the target bounds.
 *
 * It runs first, before any other big stream has gone through the gateway, so a peak set by an
 * earlier phase cannot hide this one's. Its baseline is taken after one stream of the same size at
 * full speed (and full collections): the RSS right after start-up and the small warm-up streams
 * is not a stable floor — how far V8's heap had already been paged in depends on what ran before
 * (one change to the gateway's event count moved it by 15 MB with the same absolute peak), so
 * growth from there measured the heap reaching its working size as much as the slow reader. The
 * growth from that cold baseline is still reported (`coldPeakRssGrowthBytes`), with the absolute
 * peak.
 */
import type { MemoryReading } from '../harness/child-protocol.ts';
import { round } from '../support/stats.ts';
import { gatewayStream } from './clients.ts';
import type { Env, Options } from './setup.ts';

export interface SlowReaderResult {
  readonly streamBytes: number;
  readonly sseBytes: number;
  readonly readerKbPerSecond: number;
  readonly elapsedMs: number;
  /** What the reader achieved, MiB of the function's bytes per second. */
  readonly achievedMbPerSecond: number;
  readonly samples: number;
  readonly before: MemoryReading;
  readonly after: MemoryReading;
  /** Highest RSS sampled while streaming. */
  readonly peakSampledRssBytes: number;
  /** Highest heapUsed sampled while streaming. */
  readonly peakSampledHeapUsedBytes: number;
  /** max(peak sampled RSS, maxRSS at the end if it rose during the phase) − RSS before. */
  readonly peakRssGrowthBytes: number;
  /** The same peak − RSS before the full-speed warm-up stream (after the same collections). */
  readonly coldPeakRssGrowthBytes: number;
  /** The same peak, absolute. */
  readonly peakRssBytes: number;
  readonly cold: MemoryReading;
  readonly peakHeapGrowthBytes: number;
  /** RSS growth sampled in the first and in the last quarter of the stream: flat when bounded. */
  readonly rssGrowthFirstQuarterBytes: number;
  readonly rssGrowthLastQuarterBytes: number;
  /**
   * A second stream to the same reader, with the gateway's heap read after full collections at a
   * quarter, half and three quarters of the way: what is live (held) in the middle of a stream, as
   * opposed to garbage not yet collected, which the RSS figures include. Growth over `before`.
   */
  readonly liveHeapMidStreamBytes: readonly number[];
  readonly liveExternalMidStreamBytes: readonly number[];
}

export async function slowReaderPhase({ gateway, big }: Env, options: Options): Promise<SlowReaderResult> {
  const cold = await gateway.call('memory', { gc: true });
  await gatewayStream(gateway.address, big);
  const before = await gateway.call('memory', { gc: true });
  const bytesPerSecond = options.slowKbPerSecond * 1024;
  const streamBytes = big.chunks * big.chunkBytes;
  const samples: { readonly at: number; readonly reading: MemoryReading }[] = [];
  let streaming = true;
  let progress = 0;
  const sampler = (async () => {
    while (streaming) {
      const at = progress;
      samples.push({ at, reading: await gateway.call('memory', { gc: false }) });
      await new Promise((resolve) => setTimeout(resolve, options.sampleMs));
    }
  })();
  const started = performance.now();
  let reading;
  try {
    reading = await gatewayStream(gateway.address, big, {
      bytesPerSecond,
      onRead: (sseBytes) => {
        progress = sseBytes;
      },
    });
  } finally {
    streaming = false;
    await sampler;
  }
  const elapsedMs = performance.now() - started;
  const after = await gateway.call('memory', { gc: false });
  const rss = samples.map((sample) => sample.reading.memory.rss);
  const peakSampledRssBytes = Math.max(...rss);
  const peakSampledHeapUsedBytes = Math.max(...samples.map((sample) => sample.reading.memory.heapUsed));
  const newPeak = after.maxRssBytes > before.maxRssBytes ? after.maxRssBytes : 0;
  const quarter = (from: number, to: number): number => {
    const inside = samples.filter((sample) => sample.at >= from * reading.sseBytes && sample.at <= to * reading.sseBytes);
    if (inside.length < 2) return Number.NaN;
    const values = inside.map((sample) => sample.reading.memory.rss);
    return Math.max(...values) - (values[0] ?? 0);
  };
  const live = await liveHeapMidStream(gateway, big, bytesPerSecond);
  return {
    streamBytes,
    sseBytes: reading.sseBytes,
    readerKbPerSecond: options.slowKbPerSecond,
    elapsedMs: round(elapsedMs, 0),
    achievedMbPerSecond: round(streamBytes / (1024 * 1024) / (elapsedMs / 1000), 2),
    samples: samples.length,
    before,
    after,
    peakSampledRssBytes,
    peakSampledHeapUsedBytes,
    peakRssGrowthBytes: Math.max(peakSampledRssBytes, newPeak) - before.memory.rss,
    coldPeakRssGrowthBytes: Math.max(peakSampledRssBytes, newPeak) - cold.memory.rss,
    peakRssBytes: Math.max(peakSampledRssBytes, newPeak),
    cold,
    peakHeapGrowthBytes: peakSampledHeapUsedBytes - before.memory.heapUsed,
    rssGrowthFirstQuarterBytes: quarter(0, 0.25),
    rssGrowthLastQuarterBytes: quarter(0.75, 1),
    liveHeapMidStreamBytes: live.map((reading) => reading.memory.heapUsed - before.memory.heapUsed),
    liveExternalMidStreamBytes: live.map((reading) => reading.memory.external - before.memory.external),
  };
}

async function liveHeapMidStream(gateway: Env['gateway'], big: Env['big'], bytesPerSecond: number): Promise<MemoryReading[]> {
  const streamBytes = big.chunks * big.chunkBytes;
  const marks = [0.25, 0.5, 0.75];
  const readings: Promise<MemoryReading>[] = [];
  await gatewayStream(gateway.address, big, {
    bytesPerSecond,
    onRead: (sseBytes) => {
      // Not awaited: the reader keeps its pace while the gateway collects and answers.
      const mark = marks[readings.length];
      if (mark !== undefined && sseBytes >= mark * streamBytes) readings.push(gateway.call('memory', { gc: true }));
    },
  });
  return Promise.all(readings);
}
