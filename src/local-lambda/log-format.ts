/**
 * Lambda's platform log lines (START / END) and the `X-Amz-Log-Result` tail, in the exact format
 * AWS writes them (docs/lambda-invoke-spec.md §5). The REPORT line is in
 * src/protocol/report-line.ts, shared with the gateway that reads it.
 */

import { LOG_TAIL_BYTES } from '../protocol/limits.ts';

export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}\n`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}\n`;
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
