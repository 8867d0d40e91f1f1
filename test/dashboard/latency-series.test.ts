/**
 * The dashboard's latency chart: its series keep EVENT queueing times apart from the durations of
 * synchronous invocations, and leave refused ones out.
 */
import { describe, expect, it } from 'vitest';
import { latencySeries, type SummaryForChart } from '../../src/dashboard/latency-chart.js';

const summary = (functionName: string, invocationType: string, durationMs: number, status = 'SUCCEEDED'): SummaryForChart => ({
  functionName,
  invocationType,
  durationMs,
  status,
});

describe('latencySeries', () => {
  it('gives EVENT invocations rows of their own, labelled as queueing, so they never mix with run times', () => {
    const series = latencySeries([
      summary('sleep', 'REQUEST_RESPONSE', 1000),
      summary('sleep', 'EVENT', 2, 'ACCEPTED'),
      summary('sleep', 'REQUEST_RESPONSE', 1200),
      summary('sleep', 'EVENT', 4, 'FAILED'),
      summary('echo', 'EVENT', 3, 'SUCCEEDED'),
    ]);
    expect(series.map((s) => [s.label, s.queueing, s.durations])).toEqual([
      ['echo · EVENT queued', true, [3]],
      ['sleep', false, [1000, 1200]],
      ['sleep · EVENT queued', true, [2, 4]],
    ]);
    const sync = series.find((s) => s.label === 'sleep');
    // The queueing times (2 and 4 ms) do not pull the function's median down.
    expect([sync?.p50, sync?.p95, sync?.max]).toEqual([1000, 1200, 1200]);
    expect(series.find((s) => s.label === 'sleep · EVENT queued')?.points).toEqual([
      { durationMs: 2, failed: false },
      { durationMs: 4, failed: true },
    ]);
  });

  it('leaves out refused invocations, and keeps DRY_RUN probes apart too', () => {
    const series = latencySeries([
      summary('nope', 'REQUEST_RESPONSE', 1, 'REFUSED'),
      summary('echo', 'DRY_RUN', 1),
      summary('echo', 'REQUEST_RESPONSE', 5),
    ]);
    expect(series.map((s) => s.label)).toEqual(['echo', 'echo · dry run']);
  });
});
