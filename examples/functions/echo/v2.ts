import type { Handler } from 'aws-lambda';

/** Version 2, pinned: wraps the event and says when it arrived. */
export const handler: Handler<unknown, { version: 2; event: unknown; receivedAt: string }> = async (event) => ({
  version: 2,
  event,
  receivedAt: new Date().toISOString(),
});
