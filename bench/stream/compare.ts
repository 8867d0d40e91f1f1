/**
 * Phases 2 and 3 of `bench/stream`: one stream shape read along each path — the SDK directly, the
 * gateway over SSE, the gateway over graphql-ws — in rounds whose order rotates — time to the
 * first chunk, and throughput (the function's bytes over the time from the request to the end).
 * Sequential: one stream in flight at a time.
 *
 * Each reading follows an unmeasured stream of the same shape along the same path (`compare` says
 * why), then `prepare` (told which path comes next): `index.ts` settles the servers before a big
 * stream and warms the path up again (it says why).
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { median, round } from '../support/stats.ts';
import type { Client } from 'graphql-ws';
import { type StreamReading, type StreamShape, gatewayStream, graphqlWsStream, sdkStream } from './clients.ts';

export type StreamPath = 'sdk' | 'gateway' | 'graphqlWs';

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
  /** The same subscription over graphql-ws (for reference: the targets are the SSE path's). */
  readonly graphqlWs: PathFigures;
  /** graphql-ws median first-chunk time − SDK median first-chunk time. */
  readonly addedFirstChunkWsMs: number;
  readonly throughputRatioWs: number;
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

export interface ComparedPaths {
  readonly sdk: LambdaClient;
  readonly gatewayUrl: string;
  /** A graphql-ws client connected to the gateway. */
  readonly graphqlWs: Client;
}

/** One stream of `shape` along `path`. */
export function streamAlong(clients: ComparedPaths, path: StreamPath, shape: StreamShape): Promise<StreamReading> {
  if (path === 'sdk') return sdkStream(clients.sdk, shape);
  if (path === 'gateway') return gatewayStream(clients.gatewayUrl, shape);
  return graphqlWsStream(clients.graphqlWs, shape);
}

/**
 * Rounds of one stream per path; the order rotates each round (SDK first, then the gateway over
 * SSE first, then over graphql-ws first), so a drift in the machine's load falls on all alike.
 *
 * Each measured stream comes right after an unmeasured one of the same shape along the same path
 * (then `prepare`): what ran just before decides how fast the next stream starts — a process that
 * sat idle while another path streamed runs its first chunk cold. Measured on 20 MiB streams
 * (medians of 8): the gateway's first chunk after an SDK stream 9.6 ms, after its own 5.4 ms; the
 * SDK's after its own 2.1 ms, after the gateway's graphql-ws stream 3.6 ms. Rotating three paths
 * puts a different path before each one unevenly, and with two paths alternating (the first
 * version) the gateway always came after the SDK and the SDK after the gateway, whose stream kept
 * this process (where the SDK path's client runs) busy. After its own kind of stream, each path is
 * measured as a service streaming steadily runs.
 */
export async function compare(
  clients: ComparedPaths,
  shape: StreamShape,
  rounds: number,
  warmup: number,
  prepare: (path: StreamPath) => Promise<void>,
): Promise<CompareResult> {
  const order: readonly StreamPath[] = ['sdk', 'gateway', 'graphqlWs'];
  const once = async (path: StreamPath): Promise<StreamReading> => {
    await streamAlong(clients, path, shape);
    await prepare(path);
    return streamAlong(clients, path, shape);
  };
  for (let i = 0; i < warmup; i += 1) for (const path of order) await once(path);
  const readings: Record<StreamPath, StreamReading[]> = { sdk: [], gateway: [], graphqlWs: [] };
  for (let index = 0; index < rounds; index += 1) {
    for (let k = 0; k < order.length; k += 1) {
      const path = order[(index + k) % order.length] as StreamPath;
      readings[path].push(await once(path));
    }
  }
  const { sdk, gateway, graphqlWs } = readings;
  const sdkFigures = figures(sdk);
  const gatewayFigures = figures(gateway);
  const wsFigures = figures(graphqlWs);
  return {
    chunks: shape.chunks,
    chunkBytes: shape.chunkBytes,
    streamBytes: shape.chunks * shape.chunkBytes,
    rounds,
    sdk: sdkFigures,
    gateway: gatewayFigures,
    graphqlWs: wsFigures,
    addedFirstChunkMs: round(gatewayFigures.firstChunkMedianMs - sdkFigures.firstChunkMedianMs, 3),
    addedFirstChunkPairedMs: round(median(gateway.map((g, i) => g.firstChunkMs - (sdk[i]?.firstChunkMs ?? Number.NaN))), 3),
    // From the unrounded rates: a one-chunk stream's MiB/s rounds to 0.
    throughputRatio: round(rate(gateway) / rate(sdk), 3),
    addedFirstChunkWsMs: round(wsFigures.firstChunkMedianMs - sdkFigures.firstChunkMedianMs, 3),
    throughputRatioWs: round(rate(graphqlWs) / rate(sdk), 3),
  };
}
