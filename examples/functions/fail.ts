import type { Handler } from 'aws-lambda';

/** The error type Lambda reports is the error's name. */
class IntentionalFailure extends Error {
  override name = 'IntentionalFailure';
}

/** Always throws: shows how a function error comes back (200, X-Amz-Function-Error: Unhandled). */
export const handler: Handler<{ message?: string }, never> = async (event) => {
  throw new IntentionalFailure(event.message ?? 'This function fails on purpose');
};
