/**
 * Benchmark of response streaming (issue 14): `Subscription.invokeFunctionStream` through the
 * gateway vs `InvokeWithResponseStreamCommand` through the SDK directly, both against one local
 * Lambda serving the `stream-bytes` fixture (`functions/`):
 *
 *   1. Memory (`slow-reader.ts`): a 20 MiB stream through the gateway to a reader taking 4 MiB/s;
 *      the gateway's RSS growth while it streams, over its RSS after one such stream at full
 *      speed (why: slow-reader.ts). Target: peak growth ≤ 32 MB — it passes the
 *      reader's backpressure on rather than buffering the stream.
 *   2. Many chunks (`compare.ts`): 1,000 chunks of 32 bytes, back to back — time to the first
 *      chunk and throughput, alternating rounds. Target: first-chunk latency added by the gateway
 *      (its median minus the SDK's) ≤ 2 ms.
 *   3. Big (`compare.ts`): 20 MiB in 64 KiB chunks — the same figures; the same target.
 *
 * Phases 2 and 3 also read the same subscription over graphql-ws, for reference: the targets are
 * the SSE path's (an HTTP request and response per stream, the heavier way in).
 *
 * Between 1 and 2, for reference (no target): a stream of one chunk — what the gateway adds to the
 * first chunk with no burst of chunks behind it, its request and subscription set-up alone.
 *
 * Three processes (`setup.ts`): the local Lambda and the gateway in children, so the gateway's RSS
 * is its own; the SDK, the SSE reader and the graphql-ws client in this one. Only 127.0.0.1 is ever contacted.
 *
 *   npm run bench:stream                 full size
 *   npm run bench:stream -- --quick      quick run (a 5 MiB big stream, fewer rounds)
 *   npm run bench:stream -- --help       every option
 */
import { exitWith } from '../harness/exit.ts';
import { benchmarkMain, defineBenchmark } from '../harness/run.ts';
import { MB, fixed, integer, megabytes, signed } from '../harness/table.ts';
import { type CompareResult, compare, type StreamPath, streamAlong } from './compare.ts';
import { slowReaderPhase } from './slow-reader.ts';
import { type Env, OPTIONS, type Options, bigShape, setup } from './setup.ts';

const TARGETS = {
  /** Gateway median time to the first chunk − the SDK's, per stream shape. */
  maxAddedFirstChunkMs: 2,
  /** The gateway's peak RSS growth while streaming 20 MiB to the slow reader. */
  maxPeakRssGrowthBytes: 32 * MB,
} as const;

/**
 * Before each big stream (after the unmeasured one of the same shape compare.ts runs first): both
 * servers after a full collection each, then one unmeasured stream of one chunk along the path
 * measured next. The collections: a stream that follows a 20 MiB one otherwise starts while that
 * stream's garbage is being collected in the local Lambda and the gateway, and the first chunk
 * measured is the collector's (seen: the gateway's request reaching Lambda ~15 ms late). The stream after them: the first request a process
 * serves after a forced full collection is slow — 2–3 ms more for a one-chunk stream through the
 * gateway in one process (3.1 ms against 0.9–1.0; 1.2–1.3 ms for the one after it) — and only
 * the servers are collected, not this process where the SDK path's client runs, so that cost fell
 * on the gateway path alone and was measured as latency the gateway adds. The small streams need
 * none of this: they leave little garbage.
 */
async function settleThenWarm(env: Env, path: StreamPath): Promise<void> {
  await Promise.all([env.lambda.call('memory', { gc: true }), env.gateway.call('memory', { gc: true })]);
  await streamAlong(paths(env), path, ONE_CHUNK);
}

const ONE_CHUNK = { chunks: 1, chunkBytes: 32 } as const;

const unprepared = (): Promise<void> => Promise.resolve();

const paths = ({ sdk, gateway, graphqlWs }: Env) => ({ sdk, gatewayUrl: gateway.address, graphqlWs });

const ms = (value: number, digits = 2): string => `${fixed(value, digits)} ms`;

const PATH_NAMES: Record<StreamPath, string> = {
  sdk: 'SDK directly (InvokeWithResponseStream)',
  gateway: 'gateway (invokeFunctionStream over SSE)',
  graphqlWs: '… over graphql-ws (reference)',
};

const compareRows = (result: CompareResult): string[][] =>
  (['sdk', 'gateway', 'graphqlWs'] as const).map((path) => {
    const figures = result[path];
    return [
      PATH_NAMES[path],
      ms(figures.firstChunkMedianMs, 3),
      ms(figures.totalMedianMs, 1),
      `${fixed(figures.mbPerSecond, 1)} MiB/s`,
      integer(figures.chunksPerSecond),
      integer(figures.chunks),
    ];
  });

const compareNotes = (result: CompareResult): string[] => [
  `first chunk added by the gateway: ${signed(ms(result.addedFirstChunkMs, 3), result.addedFirstChunkMs)} (median of the per-round differences ${signed(ms(result.addedFirstChunkPairedMs, 3), result.addedFirstChunkPairedMs)}); throughput gateway ÷ SDK ${fixed(result.throughputRatio, 2)}`,
  `over graphql-ws: first chunk added ${signed(ms(result.addedFirstChunkWsMs, 3), result.addedFirstChunkWsMs)}; throughput ÷ SDK ${fixed(result.throughputRatioWs, 2)}`,
  `median of ${result.rounds} rounds, the order of the paths rotating; one stream in flight`,
];

const HEADER = ['path', 'first chunk', 'whole stream', 'throughput', 'chunks/s', 'chunks'];

export const benchmark = defineBenchmark({
  name: 'stream',
  exitStatus: 'check',
  options: OPTIONS,
  usageNotes: ["The local Lambda's streaming bandwidth cap (2 MiB/s after 6 MiB) is lifted in its child, so throughput is the software's."],
  setup,
  phases: {
    slowReader: {
      progress: (o: Options) => `memory: ${o.bigMb} MiB through the gateway to a reader taking ${o.slowKbPerSecond} KiB/s…`,
      run: (env: Env, options: Options) => slowReaderPhase(env, options),
    },
    one: {
      progress: (o: Options) => `one chunk of ${o.manyChunkBytes} bytes, ${o.manyRounds} rounds per path…`,
      run: (env: Env, options: Options) =>
        compare(paths(env), { chunks: 1, chunkBytes: options.manyChunkBytes }, options.manyRounds, options.warmup, unprepared),
    },
    many: {
      progress: (o: Options) => `${o.manyChunks} chunks of ${o.manyChunkBytes} bytes, ${o.manyRounds} rounds per path…`,
      run: (env: Env, options: Options) => compare(paths(env), env.many, options.manyRounds, options.warmup, unprepared),
    },
    big: {
      progress: (o: Options) => `${o.bigMb} MiB in chunks of ${o.bigChunkBytes} bytes, ${o.bigRounds} rounds per path…`,
      run: (env: Env, options: Options) =>
        compare(paths(env), env.big, options.bigRounds, Math.min(2, options.warmup), (path) => settleThenWarm(env, path)),
    },
  },
  targets: ({ slowReader, many, big }, options) => [
    {
      name: `first chunk added by the gateway, ${integer(many.chunks)} chunks of ${many.chunkBytes} B`,
      value: many.addedFirstChunkMs,
      comparison: '≤',
      target: TARGETS.maxAddedFirstChunkMs,
      format: (value) => `${signed(fixed(value, 3), value)} ms`,
    },
    {
      name: `first chunk added by the gateway, ${options.bigMb} MiB in ${big.chunkBytes / 1024} KiB chunks`,
      value: big.addedFirstChunkMs,
      comparison: '≤',
      target: TARGETS.maxAddedFirstChunkMs,
      format: (value) => `${signed(fixed(value, 3), value)} ms`,
    },
    {
      name: `gateway peak RSS growth, ${options.bigMb} MiB to a ${options.slowKbPerSecond} KiB/s reader (over a full-speed stream's)`,
      value: slowReader.peakRssGrowthBytes,
      comparison: '≤',
      target: TARGETS.maxPeakRssGrowthBytes,
      format: (bytes) => signed(megabytes(bytes), bytes),
    },
  ],
  report: ({ slowReader, one, many, big }, options) => ({
    title: 'Response streaming: the gateway (invokeFunctionStream over SSE) vs the SDK directly, one local Lambda',
    blocks: [
      {
        header: [`one chunk of ${one.chunkBytes} B (reference)`, ...HEADER.slice(1)],
        rows: compareRows(one),
        notes: [...compareNotes(one), "no burst behind the first chunk: what the gateway's request and subscription set-up add alone"],
      },
      {
        header: [`${integer(many.chunks)} chunks of ${many.chunkBytes} B`, ...HEADER.slice(1)],
        rows: compareRows(many),
        notes: compareNotes(many),
      },
      {
        header: [`${megabytes(big.streamBytes)} in ${big.chunkBytes / 1024} KiB chunks`, ...HEADER.slice(1)],
        rows: compareRows(big),
        notes: compareNotes(big),
      },
      {
        header: [`gateway memory, ${megabytes(bigShape(options).chunks * bigShape(options).chunkBytes)} to a slow reader`, 'value'],
        rows: [
          [
            'reader pace (asked / achieved)',
            `${fixed(slowReader.readerKbPerSecond / 1024, 1)} / ${fixed(slowReader.achievedMbPerSecond, 2)} MiB/s`,
          ],
          ['stream time', ms(slowReader.elapsedMs, 0)],
          [
            'RSS before (after one full-speed stream and full collections) / cold',
            `${megabytes(slowReader.before.memory.rss)} / ${megabytes(slowReader.cold.memory.rss)}`,
          ],
          ['peak RSS growth while streaming', signed(megabytes(slowReader.peakRssGrowthBytes), slowReader.peakRssGrowthBytes)],
          [
            '… from the cold baseline / absolute peak',
            `${signed(megabytes(slowReader.coldPeakRssGrowthBytes), slowReader.coldPeakRssGrowthBytes)} / ${megabytes(slowReader.peakRssBytes)}`,
          ],
          [
            '… in the first quarter / the last quarter',
            `${megabytes(slowReader.rssGrowthFirstQuarterBytes)} / ${megabytes(slowReader.rssGrowthLastQuarterBytes)}`,
          ],
          ['peak heapUsed growth', signed(megabytes(slowReader.peakHeapGrowthBytes), slowReader.peakHeapGrowthBytes)],
          [
            'live heap mid-stream (after full GC, at ¼ ½ ¾; a second stream)',
            slowReader.liveHeapMidStreamBytes.map((bytes) => signed(megabytes(bytes), bytes)).join(' '),
          ],
          ['… external memory (Buffers)', slowReader.liveExternalMidStreamBytes.map((bytes) => signed(megabytes(bytes), bytes)).join(' ')],
        ],
        notes: [
          `${slowReader.samples} readings of the gateway's memory, every ${options.sampleMs} ms; SSE bytes read ${megabytes(slowReader.sseBytes)}`,
        ],
      },
    ],
  }),
});

export const main = benchmarkMain(benchmark);

if (import.meta.main) exitWith(await main(process.argv.slice(2)));
