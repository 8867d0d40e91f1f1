/**
 * The body of a request the gateway refuses before any GraphQL runs: a GraphQL response with one
 * error and its code — the shape CSRF prevention answers in, and what a GraphQL client reads.
 */
export function refusalBody(code: string, message: string): string {
  return JSON.stringify({ errors: [{ message, extensions: { code } }] });
}
