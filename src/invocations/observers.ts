/**
 * The gateway's side effects of an invocation, each as an observer (invocation-observer.ts), in
 * the order the gateway installs them: counted, logged in the activity log, then — for an accepted
 * EVENT — recorded so it can be followed.
 */
import type { InvocationRecords } from '../async/invocation-records.ts';
import { Invocation } from '../lambda/invocation.ts';
import type { InvocationActivity } from '../observability/invocation-activity.ts';
import type { InvocationMetrics } from '../observability/invocation-metrics.ts';
import type { InvocationObserver } from './invocation-observer.ts';

/** Per-function Prometheus counters and histograms. */
export function metricsObserver(metrics: InvocationMetrics): InvocationObserver {
  return {
    onOutcome: ({ input, request, outcome, streamed }) => {
      metrics.record(request, request?.invocationType ?? input.invocationType, outcome);
      if (streamed !== undefined && request !== undefined) metrics.recordStream(request, streamed.totalBytes);
    },
  };
}

/**
 * The activity log (the dashboard's source), under the function's own name when the request was
 * valid, else as the caller wrote it.
 */
export function activityObserver(activity: InvocationActivity): InvocationObserver {
  return {
    onOutcome: ({ caller, input, request, outcome, startedAt, streamed }) =>
      activity.record({
        gatewayRequestId: caller.requestId,
        functionName: request?.target.name ?? input.functionName,
        qualifier: request === undefined ? (input.qualifier ?? undefined) : request.target.qualifier,
        origin: input.origin,
        invocationType: request?.invocationType ?? input.invocationType,
        startedAt,
        outcome,
        streamed,
      }),
  };
}

/**
 * Records an EVENT invocation Lambda accepted, so that it can be read and followed. Awaited: the
 * record exists before the caller has the request id to follow it by.
 */
export function asyncRecordsObserver(records: Pick<InvocationRecords, 'accept'>): InvocationObserver {
  return {
    onOutcome: async ({ input, request, outcome }) => {
      if (request?.invocationType !== 'Event' || !(outcome instanceof Invocation) || outcome.requestId === '') return;
      // Recorded under the function's own name and effective qualifier, as its destination record
      // will name it, whatever form (ARN, `name:alias`) the caller used.
      const { target } = request;
      await records.accept({
        requestId: outcome.requestId,
        functionName: target.name,
        qualifier: target.qualifier,
        requestPayload: input.payload ?? {},
      });
    },
  };
}
