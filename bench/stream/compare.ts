/**
 * Phases 2 and 3 of `bench/stream`: one stream shape read along both paths in alternating rounds
 * (even rounds the SDK first, odd rounds the gateway first, so a drift in the machine's load falls
 * on both alike) — time to the first chunk, and throughput (the function's bytes over the time
 * from the request to the end). Sequential: one stream in flight at a time.
 *
 * Each reading can be prepared (`prepare`, told which path comes next): `index.ts` settles the
 * servers before a big stream and warms the path up again (it says why).
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { median, round } from '../support/stats.ts';
import { type StreamReading, type StreamShape, gatewayStream, sdkStream } from './clients.ts';

export type StreamPath = 'sdk' | 'gateway';

export interface PathFigures {
  readonly firstChunkMs: readonly number[];
  readonly firstChunkMedianMs: number;
  readonly totalMedianMs: number;
  /** MiB per second of the function's bytes, median over the rounds. */
  readonly mbPerSecond: number;
  /** Chunk events per second, median over the rounds. */
  readonly chunksPerSecond: number;
  /** Chunk events received in a stream (median): the SDK's PayloadChunks, the gateway's chunk events. */
  readonly chunks: number;
}

export interface CompareResult {
  readonly chunks: number;
  readonly chunkBytes: number;
  readonly streamBytes: number;
  readonly rounds: number;
  readonly sdk: PathFigures;
  readonly gateway: PathFigures;
  /** Gateway median first-chunk time − SDK median first-chunk time. */
  readonly addedFirstChunkMs: number;
  /** The median of the per-round differences (gateway − SDK), for comparison. */
  readonly addedFirstChunkPairedMs: number;
  /** Gateway throughput ÷ SDK throughput. */
  readonly throughputRatio: number;
}

/** Median bytes per second. */
const rate = (readings: readonly StreamReading[]): number => median(readings.map((r) => r.bytes / (r.totalMs / 1000)));

function figures(readings: readonly StreamReading[]): PathFigures {
  return {
    firstChunkMs: readings.map((r) => round(r.firstChunkMs, 3)),
    firstChunkMedianMs: round(median(readings.map((r) => r.firstChunkMs)), 3),
    totalMedianMs: round(median(readings.map((r) => r.totalMs)), 2),
    mbPerSecond: round(median(readings.map((r) => r.bytes / (1024 * 1024) / (r.totalMs / 1000))), 2),
    chunksPerSecond: round(median(readings.map((r) => r.chunks / (r.totalMs / 1000))), 0),
    chunks: median(readings.map((r) => r.chunks)),
  };
}

export async function compare(
  sdkClient: LambdaClient,
  gatewayUrl: string,
  shape: StreamShape,
  rounds: number,
  warmup: number,
  prepare: (path: StreamPath) => Promise<void>,
): Promise<CompareResult> {
  const sdkOnce = async () => {
    await prepare('sdk');
    return sdkStream(sdkClient, shape);
  };
  const gatewayOnce = async () => {
    await prepare('gateway');
    return gatewayStream(gatewayUrl, shape);
  };
  for (let i = 0; i < warmup; i += 1) {
    await sdkOnce();
    await gatewayOnce();
  }
  const sdk: StreamReading[] = [];
  const gateway: StreamReading[] = [];
  for (let index = 0; index < rounds; index += 1) {
    if (index % 2 === 0) {
      sdk.push(await sdkOnce());
      gateway.push(await gatewayOnce());
    } else {
      gateway.push(await gatewayOnce());
      sdk.push(await sdkOnce());
    }
  }
  const sdkFigures = figures(sdk);
  const gatewayFigures = figures(gateway);
  return {
    chunks: shape.chunks,
    chunkBytes: shape.chunkBytes,
    streamBytes: shape.chunks * shape.chunkBytes,
    rounds,
    sdk: sdkFigures,
    gateway: gatewayFigures,
    addedFirstChunkMs: round(gatewayFigures.firstChunkMedianMs - sdkFigures.firstChunkMedianMs, 3),
    addedFirstChunkPairedMs: round(median(gateway.map((g, i) => g.firstChunkMs - (sdk[i]?.firstChunkMs ?? Number.NaN))), 3),
    // From the unrounded rates: a one-chunk stream's MiB/s rounds to 0.
    throughputRatio: round(rate(gateway) / rate(sdk), 3),
  };
}
