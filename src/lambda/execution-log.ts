/**
 * Reading the base64 log tail Lambda answers with (`X-Amz-Log-Result`). The REPORT line in it is
 * read by src/protocol/report-line.ts, which the local Lambda writes it with.
 */

export function decodeLogResult(logResult: string | undefined): string | undefined {
  return logResult === undefined ? undefined : Buffer.from(logResult, 'base64').toString('utf8');
}
