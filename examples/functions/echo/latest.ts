import type { Handler } from 'aws-lambda';

/** $LATEST: returns the event unchanged. */
export const handler: Handler<unknown, unknown> = async (event) => event;
