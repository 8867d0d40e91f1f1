/**
 * Reading what Lambda leaves encoded: the base64 log tail, and the figures of its REPORT line
 * (`REPORT RequestId: …\tDuration: 3.01 ms\tBilled Duration: 4 ms\tMemory Size: 128 MB\t…`).
 */

export interface ReportFigures {
  readonly durationMs: number;
  readonly billedDurationMs: number;
  readonly memorySizeMb: number;
  readonly maxMemoryUsedMb: number;
  /** Only on a cold start. */
  readonly initDurationMs: number | undefined;
  /** `timeout` or `error` when the platform ended the invocation. */
  readonly status: string | undefined;
  readonly errorType: string | undefined;
}

export function decodeLogResult(logResult: string | undefined): string | undefined {
  return logResult === undefined ? undefined : Buffer.from(logResult, 'base64').toString('utf8');
}

/** Parses the last REPORT line of a log; undefined when there is no complete one. */
export function parseReport(log: string | undefined): ReportFigures | undefined {
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
  const billedDurationMs = number('Billed Duration');
  const memorySizeMb = number('Memory Size');
  const maxMemoryUsedMb = number('Max Memory Used');
  if (durationMs === undefined || billedDurationMs === undefined || memorySizeMb === undefined || maxMemoryUsedMb === undefined) {
    return undefined;
  }
  return {
    durationMs,
    billedDurationMs,
    memorySizeMb,
    maxMemoryUsedMb,
    initDurationMs: number('Init Duration'),
    status: fields.get('Status'),
    errorType: fields.get('Error Type'),
  };
}
