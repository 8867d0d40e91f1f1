import type { Handler } from 'aws-lambda';

/** Never runs: its reserved concurrency is 0, so Lambda throttles every invocation. */
export const handler: Handler<unknown, string> = async () => 'unreachable';
