/**
 * The REPORT line: what the local Lambda writes, the gateway reads back unchanged (one format, one
 * parser, in src/protocol/report-line.ts), for every shape the line takes.
 */
import { describe, expect, it } from 'vitest';
import { billedDurationMs, formatReportLine, parseReportLine, type ReportFigures } from '../../src/protocol/report-line.ts';

const REQUEST_ID = '8f5c3e2a-0b7d-4c1e-9a6f-2d4b8e1c7a30';

/** Durations with two decimals: the line writes two, so these survive the trip exactly. */
function figures(more: Partial<ReportFigures> = {}): ReportFigures {
  const durationMs = more.durationMs ?? 3.01;
  const initDurationMs = 'initDurationMs' in more ? more.initDurationMs : undefined;
  return {
    durationMs,
    billedDurationMs: billedDurationMs(durationMs, initDurationMs),
    memorySizeMb: 128,
    maxMemoryUsedMb: 64,
    initDurationMs,
    status: undefined,
    errorType: undefined,
    ...more,
  };
}

describe('the REPORT line', () => {
  const cases: ReadonlyArray<[string, ReportFigures]> = [
    ['a warm start', figures()],
    ['a cold start (with Init Duration)', figures({ initDurationMs: 152.37 })],
    ['a timeout', figures({ durationMs: 3000, status: 'timeout' })],
    ['a runtime error on a cold start', figures({ initDurationMs: 80.5, status: 'error', errorType: 'Runtime.ExitError' })],
  ];

  it.each(cases)('round-trips %s: format then parse gives the figures back', (_, input) => {
    expect(parseReportLine(formatReportLine(REQUEST_ID, input))).toEqual(input);
  });

  it('is written as AWS writes it: tab-separated, with a trailing tab and a newline', () => {
    expect(formatReportLine(REQUEST_ID, figures({ initDurationMs: 152.37 }))).toBe(
      `REPORT RequestId: ${REQUEST_ID}\tDuration: 3.01 ms\tBilled Duration: 156 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\tInit Duration: 152.37 ms\t\n`,
    );
  });

  it('bills the init phase of a cold start and rounds up to the millisecond', () => {
    expect(billedDurationMs(3.01, undefined)).toBe(4);
    expect(billedDurationMs(3.01, 152.37)).toBe(156);
    expect(billedDurationMs(2, undefined)).toBe(2);
  });

  it('names an error type for an error status even when none is known', () => {
    const line = formatReportLine(REQUEST_ID, figures({ status: 'error' }));
    expect(line).toContain('\tStatus: error\tError Type: Runtime.Unknown\t');
    expect(parseReportLine(line)?.errorType).toBe('Runtime.Unknown');
  });

  it('reads the last REPORT line of a whole log, after START, output and END', () => {
    const log =
      `START RequestId: ${REQUEST_ID} Version: $LATEST\n` +
      'hello from the function\n' +
      `END RequestId: ${REQUEST_ID}\n` +
      formatReportLine(REQUEST_ID, figures({ durationMs: 12.5 }));
    expect(parseReportLine(log)?.durationMs).toBe(12.5);
  });

  it('passes on a status it does not know, as AWS wrote it', () => {
    const line = `REPORT RequestId: ${REQUEST_ID}\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 30 MB\tStatus: throttled\t`;
    expect(parseReportLine(line)?.status).toBe('throttled');
  });

  it('gives nothing for no log, no REPORT line, or one cut off before its figures', () => {
    expect(parseReportLine(undefined)).toBeUndefined();
    expect(parseReportLine('START RequestId: x Version: $LATEST\n')).toBeUndefined();
    // A 4 KB tail can cut into the middle of the line.
    expect(parseReportLine(`REPORT RequestId: ${REQUEST_ID}\tDuration: 3.01 ms\tBilled Dur`)).toBeUndefined();
  });
});
