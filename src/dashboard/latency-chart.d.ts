/**
 * Types of latency-chart.js (a plain browser module, served as it is), for the tests that import
 * its pure part.
 */
export interface SummaryForChart {
  readonly functionName: string;
  readonly invocationType: string;
  readonly status: string;
  readonly durationMs: number;
}

export interface LatencySeries {
  readonly functionName: string;
  readonly invocationType: string;
  /** The row's label: the function, suffixed for anything but REQUEST_RESPONSE. */
  readonly label: string;
  /** EVENT rows: the time until Lambda queued the event, not the function's run. */
  readonly queueing: boolean;
  readonly points: ReadonlyArray<{ readonly durationMs: number; readonly failed: boolean }>;
  readonly durations: readonly number[];
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

export function latencySeries(summaries: readonly SummaryForChart[]): LatencySeries[];
/** Draws into a DOM element (typed loosely: the project type-checks without the DOM library). */
export function renderLatencyChart(container: object, summaries: readonly SummaryForChart[]): void;
