/** Rounding, medians, percentiles and latency summaries shared by the benchmarks. */
import type { CpuFigures } from '../harness/child-protocol.ts';

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: Float64Array, p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}

export interface Latencies {
  readonly medianMs: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** Median, p99 and maximum of sorted milliseconds, rounded to the microsecond. */
export function latencies(sorted: Float64Array): Latencies {
  return {
    medianMs: round(percentile(sorted, 50), 3),
    p99Ms: round(percentile(sorted, 99), 3),
    maxMs: round(sorted[sorted.length - 1] ?? Number.NaN, 3),
  };
}

/** User plus system CPU, in microseconds. */
export const cpuMicros = (cpu: CpuFigures): number => cpu.user + cpu.system;
