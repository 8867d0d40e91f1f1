/**
 * The headers both sides of a destination delivery agree on: how a sender of destination records
 * proves the gateway's secret, and how a gateway tells the project's local Lambda where to deliver
 * the records of the Event invocations it makes ("the gateway that invoked me").
 *
 * The two `x-local-lambda-*` headers are this project's own extension. The gateway sends them only
 * to an endpoint it knows is the local Lambda (never to AWS): they carry its secret.
 */

/** The gateway's destination secret, as the sender of a destination record presents it. */
export const SECRET_HEADER = 'x-destination-secret';
/** Instead of the secret: `sha256=<hex HMAC-SHA256 of the raw body>`. */
export const SIGNATURE_HEADER = 'x-destination-signature';

/** On an Event invocation: where the invoking gateway takes destination records. */
export const REPLY_URL_HEADER = 'x-local-lambda-destination-url';
/** On an Event invocation: the secret to present there (sent back as `x-destination-secret`). */
export const REPLY_SECRET_HEADER = 'x-local-lambda-destination-secret';

/** The value of a function's `onSuccess`/`onFailure` meaning "the gateway that invoked it". */
export const INVOKING_GATEWAY = 'gateway';
