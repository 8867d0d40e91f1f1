/** A LambdaInvoker that records its calls and answers as the test says: no ports, no workers. */
import type { InvokeRequest, InvokeResponse, LambdaInvoker } from '../../src/lambda/invoker.ts';

export interface RecordingInvoker extends LambdaInvoker {
  readonly calls: { readonly request: InvokeRequest; readonly signal: AbortSignal | undefined }[];
}

/** What Lambda answers a successful call: 200 with the payload echoed, 202 for Event, 204 for DryRun. */
export function accepted(request: InvokeRequest, requestId: string): InvokeResponse {
  const statusCode = request.invocationType === 'Event' ? 202 : request.invocationType === 'DryRun' ? 204 : 200;
  return {
    requestId,
    statusCode,
    executedVersion: statusCode === 200 ? '$LATEST' : undefined,
    functionError: undefined,
    logResult: undefined,
    payload: statusCode === 200 ? request.payload : undefined,
  };
}

export function recordingInvoker(answer?: (request: InvokeRequest, call: number) => Promise<InvokeResponse>): RecordingInvoker {
  const calls: { request: InvokeRequest; signal: AbortSignal | undefined }[] = [];
  return {
    calls,
    invoke(request, signal) {
      calls.push({ request, signal });
      return answer === undefined ? Promise.resolve(accepted(request, `request-${calls.length}`)) : answer(request, calls.length);
    },
    reachability: () => Promise.resolve({ state: 'reachable' }),
    destroy: () => undefined,
  };
}
