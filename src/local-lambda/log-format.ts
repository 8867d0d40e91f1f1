/**
 * Lambda's platform log lines (START / END / REPORT) and the `X-Amz-Log-Result` tail, in the
 * exact format AWS writes them (docs/lambda-invoke-spec.md §5).
 */

import { LOG_TAIL_BYTES } from '../protocol/limits.ts';

export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}\n`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}\n`;
}

export interface ReportFigures {
  readonly durationMs: number;
  readonly memorySizeMb: number;
  readonly maxMemoryUsedMb: number;
  /** Only on a cold start. */
  readonly initDurationMs: number | undefined;
  readonly status: 'timeout' | 'error' | undefined;
  /** With `status: 'error'`: the runtime error type (`Runtime.ExitError` …). */
  readonly errorType: string | undefined;
}

/**
 * Tab-separated, with a trailing tab. Since August 2025 the init phase is billed too, so a cold
 * start's Billed Duration includes Init Duration.
 */
export function reportLine(requestId: string, figures: ReportFigures): string {
  const billed = Math.ceil(figures.durationMs + (figures.initDurationMs ?? 0));
  let line =
    `REPORT RequestId: ${requestId}\tDuration: ${figures.durationMs.toFixed(2)} ms\tBilled Duration: ${billed} ms\t` +
    `Memory Size: ${figures.memorySizeMb} MB\tMax Memory Used: ${figures.maxMemoryUsedMb} MB\t`;
  if (figures.initDurationMs !== undefined) line += `Init Duration: ${figures.initDurationMs.toFixed(2)} ms\t`;
  if (figures.status === 'timeout') line += 'Status: timeout\t';
  if (figures.status === 'error') line += `Status: error\tError Type: ${figures.errorType ?? 'Runtime.Unknown'}\t`;
  return `${line}\n`;
}

/**
 * Keeps just enough of an invocation's log to answer a Tail request, however much the function
 * prints: a 4 KB byte tail never needs more than the last 4,096 characters.
 */
export class LogTail {
  #text = '';

  append(text: string): void {
    this.#text += text;
    if (this.#text.length > 4 * LOG_TAIL_BYTES) this.#text = this.#text.slice(-LOG_TAIL_BYTES);
  }

  /** The last 4,096 bytes of the UTF-8 log, base64-encoded, as `X-Amz-Log-Result` carries it. */
  toBase64(): string {
    const bytes = Buffer.from(this.#text, 'utf8');
    return bytes.subarray(Math.max(0, bytes.length - LOG_TAIL_BYTES)).toString('base64');
  }
}
