import type { Handler } from 'aws-lambda';

/** Version 1, pinned: wraps the event so callers can see which code ran. */
export const handler: Handler<unknown, { version: 1; event: unknown }> = async (event) => ({ version: 1, event });
