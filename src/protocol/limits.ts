/**
 * Lambda's Invoke limits, shared by the gateway (which checks before calling) and the local Lambda
 * (which enforces them as AWS does). Sources: docs/lambda-invoke-spec.md §4.
 */

/** Synchronous invoke request payload: 6 MB. */
export const MAX_SYNC_REQUEST_BYTES = 6_291_456;
/** `Event` invoke request payload: 1 MB since October 2025 (was 256 KB). */
export const MAX_EVENT_REQUEST_BYTES = 1_048_576;
/** `X-Amz-Client-Context`: at most this many bytes of base64 text. */
export const MAX_CLIENT_CONTEXT_BYTES = 3583;
/** Synchronous response payload: 6 MiB + 100 bytes. */
export const MAX_RESPONSE_BYTES = 6_291_556;
/** `LogType: Tail` returns the last 4 KB of the execution log. */
export const LOG_TAIL_BYTES = 4096;
/** A function's longest timeout: 900 seconds. */
export const MAX_FUNCTION_TIMEOUT_SECONDS = 900;
/**
 * InvokeWithResponseStream response: 200 MB by default since July 2025 (a 20 MB soft limit
 * before). Read as MiB, like the 6 MB buffered limit above.
 */
export const MAX_STREAM_RESPONSE_BYTES = 200 * 1024 * 1024;
/** The first 6 MB of a streamed response go out uncapped… */
export const STREAM_UNCAPPED_BYTES = 6 * 1024 * 1024;
/** …the rest at up to 2 MBps. */
export const STREAM_BYTES_PER_SECOND = 2 * 1024 * 1024;
