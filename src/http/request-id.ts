/**
 * The id of a request being handled, kept beside the request (a `WeakMap`, as hive keeps
 * `requestIdByRequest`): the request log assigns it and returns it in `x-request-id`, and the
 * context, tracing and error reports read it. Its own module, so that readers need not import the
 * logging plugin.
 */
import { randomUUID } from 'node:crypto';

/** An incoming `x-request-id` (from a load balancer) is kept when it looks like an id. */
const INCOMING_ID = /^[\w\-.:]{1,128}$/;
export const REQUEST_ID_HEADER = 'x-request-id';

const requestIds = new WeakMap<Request, string>();

/** The request id of a request being handled, once assigned. */
export function requestIdOf(request: Request): string | undefined {
  return requestIds.get(request);
}

/** Gives `request` its id: the incoming one when it looks like an id, a new UUID otherwise. */
export function assignRequestId(request: Request): string {
  const incoming = request.headers.get(REQUEST_ID_HEADER);
  const requestId = incoming !== null && INCOMING_ID.test(incoming) ? incoming : randomUUID();
  requestIds.set(request, requestId);
  return requestId;
}
