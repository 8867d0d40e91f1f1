/**
 * The REPORT line Lambda writes at the end of every execution log, in the exact format AWS writes
 * it (docs/lambda-invoke-spec.md §5), and the figures read back from it. Both sides of the wire use
 * this one file: the local Lambda writes the line, the gateway reads it out of `X-Amz-Log-Result`,
 * so a change to the format cannot drift between writer and reader.
 *
 * `REPORT RequestId: …\tDuration: 3.01 ms\tBilled Duration: 4 ms\tMemory Size: 128 MB\t…`
 */

export interface ReportFigures {
  readonly durationMs: number;
  readonly billedDurationMs: number;
  readonly memorySizeMb: number;
  readonly maxMemoryUsedMb: number;
  /** Only on a cold start. */
  readonly initDurationMs: number | undefined;
  /**
   * `timeout` or `error` when the platform ended the invocation. A string, not those two literals,
   * because the gateway passes on whatever AWS writes, including a status added later.
   */
  readonly status: string | undefined;
  /** With `status: 'error'`: the runtime error type (`Runtime.ExitError` …). */
  readonly errorType: string | undefined;
}

/**
 * Since August 2025 the init phase is billed too, so a cold start's Billed Duration includes
 * Init Duration; billing rounds up to the next millisecond.
 */
export function billedDurationMs(durationMs: number, initDurationMs: number | undefined): number {
  return Math.ceil(durationMs + (initDurationMs ?? 0));
}

/** Tab-separated, with a trailing tab and a newline, as AWS writes it. */
export function formatReportLine(requestId: string, figures: ReportFigures): string {
  let line =
    `REPORT RequestId: ${requestId}\tDuration: ${figures.durationMs.toFixed(2)} ms\tBilled Duration: ${figures.billedDurationMs} ms\t` +
    `Memory Size: ${figures.memorySizeMb} MB\tMax Memory Used: ${figures.maxMemoryUsedMb} MB\t`;
  if (figures.initDurationMs !== undefined) line += `Init Duration: ${figures.initDurationMs.toFixed(2)} ms\t`;
  if (figures.status === 'error') line += `Status: error\tError Type: ${figures.errorType ?? 'Runtime.Unknown'}\t`;
  else if (figures.status !== undefined) line += `Status: ${figures.status}\t`;
  return `${line}\n`;
}

/** Parses the last REPORT line of a log; undefined when there is no complete one. */
export function parseReportLine(log: string | undefined): ReportFigures | undefined {
  if (log === undefined) return undefined;
  const start = log.lastIndexOf('REPORT RequestId:');
  if (start < 0) return undefined;
  const end = log.indexOf('\n', start);
  const fields = new Map<string, string>();
  for (const part of log.slice(start, end < 0 ? undefined : end).split('\t')) {
    const colon = part.indexOf(': ');
    if (colon > 0) fields.set(part.slice(0, colon), part.slice(colon + 2));
  }
  const number = (key: string): number | undefined => {
    const value = fields.get(key);
    if (value === undefined) return undefined;
    const parsed = Number.parseFloat(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  };
  const durationMs = number('Duration');
  const billed = number('Billed Duration');
  const memorySizeMb = number('Memory Size');
  const maxMemoryUsedMb = number('Max Memory Used');
  if (durationMs === undefined || billed === undefined || memorySizeMb === undefined || maxMemoryUsedMb === undefined) {
    return undefined;
  }
  return {
    durationMs,
    billedDurationMs: billed,
    memorySizeMb,
    maxMemoryUsedMb,
    initDurationMs: number('Init Duration'),
    status: fields.get('Status'),
    errorType: fields.get('Error Type'),
  };
}
