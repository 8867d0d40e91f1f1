/**
 * Event invocations: queued, run, retried with the configured back-off under the same request id,
 * and concluded with a destination record in AWS's exact shape, delivered over HTTP with retries.
 */
import { InvokeCommand, type InvokeCommandInput } from '@aws-sdk/client-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/local-lambda/config.ts';
import { loadFunctionDefinitions } from '../../src/local-lambda/definitions.ts';
import type { DestinationRecord } from '../../src/protocol/destination-record.ts';
import type { LogSink } from '../../src/local-lambda/run-invocation.ts';
import {
  FIXTURE_FUNCTIONS,
  type FixtureLambda,
  payloadOf,
  type RecordReceiver,
  startFixtureLambda,
  startRecordReceiver,
} from '../helpers/local-lambda.ts';
import { unusedPort } from '../helpers/gateway.ts';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function';
const RETRY_DELAYS: [number, number] = [30, 60];

interface LogEntry {
  readonly functionName: string;
  readonly requestId: string;
  readonly text: string;
  readonly at: number;
}

function capturingLogger(): Logger & { readonly messages: Array<{ level: string; message: string; object: object }> } {
  const messages: Array<{ level: string; message: string; object: object }> = [];
  const at = (level: string) => (object: object, message: string) => {
    messages.push({ level, message, object });
  };
  return { messages, info: at('info'), warn: at('warn'), error: at('error') };
}

let receiver: RecordReceiver;
let lambda: FixtureLambda;
const logs: LogEntry[] = [];
const logger = capturingLogger();
const sink: LogSink = (entry) => logs.push({ ...entry, at: performance.now() });

beforeAll(async () => {
  receiver = await startRecordReceiver();
  lambda = await startFixtureLambda({
    logSink: sink,
    logger,
    async: {
      retryDelaysMs: RETRY_DELAYS,
      throttleRetryBaseMs: 10,
      defaultOnSuccess: receiver.url,
      defaultOnFailure: receiver.url,
      deliveryHeaders: { 'x-destination-secret': 's3cret' },
      deliveryRetryBaseMs: 10,
    },
  });
});
afterAll(async () => {
  await lambda.close();
  await receiver.close();
});
afterEach(() => receiver.refuseNext(0, 503));

async function sendEvent(input: InvokeCommandInput, target: FixtureLambda = lambda): Promise<string> {
  const result = await target.client.send(new InvokeCommand({ ...input, InvocationType: 'Event' }));
  expect(result.StatusCode).toBe(202);
  const id = result.$metadata.requestId;
  if (id === undefined) throw new Error('no request id');
  return id;
}

const recordFor = (id: string, from: RecordReceiver = receiver): Promise<DestinationRecord> =>
  from.waitFor((record) => record.requestContext.requestId === id).then((r) => r.record);

const startsOf = (id: string): LogEntry[] => logs.filter((e) => e.requestId === id && e.text.startsWith('START '));

describe('destination records', () => {
  it('a success record in AWS’s shape, key order included, with the delivery headers', async () => {
    const id = await sendEvent({ FunctionName: 'echo', Payload: payloadOf({ a: 1 }) });
    const { record, headers } = await receiver.waitFor((r) => r.requestContext.requestId === id);
    expect(Object.keys(record)).toEqual(['version', 'timestamp', 'requestContext', 'requestPayload', 'responseContext', 'responsePayload']);
    expect(record).toEqual({
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/) as unknown,
      requestContext: { requestId: id, functionArn: `${ARN}:echo:$LATEST`, condition: 'Success', approximateInvokeCount: 1 },
      requestPayload: { a: 1 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      responsePayload: { a: 1 },
    });
    expect(headers['content-type']).toBe('application/json');
    expect(headers['x-destination-secret']).toBe('s3cret');
  });

  it('qualifies the ARN with the version an alias resolved to', async () => {
    const record = await recordFor(await sendEvent({ FunctionName: 'echo:live', Payload: payloadOf('hi') }));
    expect(record.requestContext.functionArn).toBe(`${ARN}:echo:1`);
    expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: '1' });
    expect(record.responsePayload).toEqual({ code: 'v1', event: 'hi' });
  });

  it('an empty Event payload is recorded as {}', async () => {
    const record = await recordFor(await sendEvent({ FunctionName: 'echo' }));
    expect(record.requestPayload).toEqual({});
  });
});

describe('retries', () => {
  it('retries a failing function twice under the same request id, after the configured delays, then RetriesExhausted', async () => {
    const id = await sendEvent({ FunctionName: 'fail', Payload: payloadOf({ message: 'always' }) });
    const record = await recordFor(id);
    expect(record.requestContext).toEqual({
      requestId: id,
      functionArn: `${ARN}:fail:$LATEST`,
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    });
    expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    expect(record.responsePayload).toMatchObject({ errorType: 'FixtureError', errorMessage: 'always' });
    const starts = startsOf(id);
    expect(starts).toHaveLength(3);
    const [first, second, third] = starts.map((s) => s.at);
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(RETRY_DELAYS[0] - 1);
    expect((third ?? 0) - (second ?? 0)).toBeGreaterThanOrEqual(RETRY_DELAYS[1] - 1);
  });

  it('succeeds on a retry and counts the attempts', async () => {
    const id = await sendEvent({ FunctionName: 'flaky', Payload: payloadOf({ failTimes: 1 }) });
    const record = await recordFor(id);
    expect(record.requestContext.condition).toBe('Success');
    expect(record.requestContext.approximateInvokeCount).toBe(2);
    expect(record.responsePayload).toEqual({ succeededOnAttempt: 2 });
  });

  it('honours maximumRetryAttempts 0', async () => {
    const id = await sendEvent({ FunctionName: 'fail-no-retry' });
    const record = await recordFor(id);
    expect(record.requestContext).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 1 });
    expect(startsOf(id)).toHaveLength(1);
  });

  it('an Event throttled by reserved concurrency waits in the queue and runs later', async () => {
    const busy = lambda.client.send(new InvokeCommand({ FunctionName: 'reserved-one', Payload: payloadOf({ ms: 300 }) }));
    await expect.poll(() => lambda.running.lambda.inFlight('reserved-one'), { interval: 5 }).toBe(1);
    const id = await sendEvent({ FunctionName: 'reserved-one', Payload: payloadOf({ ms: 0 }) });
    const record = await recordFor(id);
    expect(record.requestContext).toMatchObject({ condition: 'Success', approximateInvokeCount: 1 });
    expect((await busy).StatusCode).toBe(200);
  });
});

describe('conditions without a successful run', () => {
  it('ZeroReservedConcurrency: accepted with 202, then a record with no response', async () => {
    const id = await sendEvent({ FunctionName: 'throttled', Payload: payloadOf({ n: 1 }) });
    const record = await recordFor(id);
    expect(record).toEqual({
      version: '1.0',
      timestamp: expect.any(String) as unknown,
      requestContext: {
        requestId: id,
        functionArn: `${ARN}:throttled:$LATEST`,
        condition: 'ZeroReservedConcurrency',
        approximateInvokeCount: 0,
      },
      requestPayload: { n: 1 },
    });
  });

  it('EventAgeExceeded is decided ahead of a retry that would come too late', async () => {
    const ageReceiver = await startRecordReceiver();
    // AWS's real delays (the next retry in 61 s) against a 60 s maximum age: no waiting.
    const aged = await startFixtureLambda({ async: { retryDelaysMs: [61_000, 120_000], defaultOnFailure: ageReceiver.url } });
    try {
      const started = performance.now();
      const id = await sendEvent({ FunctionName: 'fail-short-age', Payload: payloadOf({ message: 'old' }) }, aged);
      const record = await recordFor(id, ageReceiver);
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(record.requestContext).toMatchObject({ condition: 'EventAgeExceeded', approximateInvokeCount: 1 });
      expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
      expect(record.responsePayload).toMatchObject({ errorMessage: 'old' });
    } finally {
      await aged.close();
      await ageReceiver.close();
    }
  });
});

describe('delivery', () => {
  it('retries a destination that answers 503 until it takes the record', async () => {
    receiver.refuseNext(2, 503);
    const refusedBefore = receiver.refused;
    const id = await sendEvent({ FunctionName: 'echo', Payload: payloadOf({ retried: true }) });
    const record = await recordFor(id);
    expect(record.requestPayload).toEqual({ retried: true });
    expect(receiver.refused - refusedBefore).toBe(2);
    expect(receiver.received.filter((r) => r.record.requestContext.requestId === id)).toHaveLength(1);
  });

  it('does not retry a record the destination rejects as bad, and says so in the log', async () => {
    receiver.refuseNext(1, 400);
    const id = await sendEvent({ FunctionName: 'echo', Payload: payloadOf({ rejected: true }) });
    await expect
      .poll(() => logger.messages.some((m) => (m.object as { requestId?: string }).requestId === id && m.level === 'error'), {
        interval: 10,
      })
      .toBe(true);
    const message = logger.messages.find((m) => (m.object as { requestId?: string }).requestId === id);
    expect(message?.message).toContain(`destination ${receiver.url} refused the record with 400; not retrying.`);
    expect((message?.object as { status?: number }).status).toBe(400);
    expect(receiver.received.some((r) => r.record.requestContext.requestId === id)).toBe(false);
  });

  it('says what to change when nothing takes records at the URL (404)', async () => {
    receiver.refuseNext(1, 404);
    const id = await sendEvent({ FunctionName: 'echo' });
    await expect
      .poll(() => logger.messages.some((m) => (m.object as { requestId?: string }).requestId === id && m.level === 'error'), {
        interval: 10,
      })
      .toBe(true);
    const message = logger.messages.find((m) => (m.object as { requestId?: string }).requestId === id)?.message ?? '';
    expect(message).toContain(`destination ${receiver.url} refused the record with 404; not retrying.`);
    expect(message).toContain('a gateway takes them at /lambda-destinations');
    expect(message).toContain('--destination-url or DESTINATION_URL');
  });

  it('retries an unreachable destination for deliveryRetryForMs, saying why each time, then gives up saying so', async () => {
    const unreachable = `http://127.0.0.1:${await unusedPort()}/lambda-destinations`;
    const giveUpLogger = capturingLogger();
    const giving = await startFixtureLambda({
      logger: giveUpLogger,
      async: { defaultOnSuccess: unreachable, deliveryRetryBaseMs: 10, deliveryRetryMaxMs: 20, deliveryRetryForMs: 150 },
    });
    try {
      const id = await sendEvent({ FunctionName: 'echo' }, giving);
      await expect.poll(() => giveUpLogger.messages.some((m) => m.level === 'error'), { interval: 10 }).toBe(true);
      const retries = giveUpLogger.messages.filter((m) => m.level === 'warn');
      expect(retries.length).toBeGreaterThan(1);
      expect(retries[0]?.message).toContain(`destination ${unreachable} could not be reached (ECONNREFUSED); retrying in 10 ms.`);
      expect(retries[0]?.message).toContain('Nothing is listening there: is the gateway running at this address?');
      const last = giveUpLogger.messages.find((m) => m.level === 'error');
      expect(last?.message).toMatch(new RegExp(`could not be reached \\(ECONNREFUSED\\); gave up on the record after \\d+ attempts`));
      expect(last?.object).toMatchObject({ requestId: id, url: unreachable, origin: 'default' });
      expect(giving.running.lambda.stats().pendingDeliveries).toBe(0);
    } finally {
      await giving.close();
    }
  });

  it('a function’s own destinations take precedence over the defaults', async () => {
    const own = await startRecordReceiver();
    const fallback = await startRecordReceiver();
    const definitions = loadFunctionDefinitions(FIXTURE_FUNCTIONS).map((d) =>
      d.name === 'echo' ? { ...d, async: { ...d.async, onSuccess: own.url } } : d,
    );
    const custom = await startFixtureLambda({ functions: definitions, async: { defaultOnSuccess: fallback.url } });
    try {
      const echoId = await sendEvent({ FunctionName: 'echo', Payload: payloadOf(1) }, custom);
      const noopId = await sendEvent({ FunctionName: 'noop' }, custom);
      expect((await recordFor(echoId, own)).requestContext.condition).toBe('Success');
      expect((await recordFor(noopId, fallback)).responsePayload).toBeNull();
      expect(own.received.map((r) => r.record.requestContext.requestId)).toEqual([echoId]);
      expect(fallback.received.map((r) => r.record.requestContext.requestId)).toEqual([noopId]);
    } finally {
      await custom.close();
      await own.close();
      await fallback.close();
    }
  });

  it('on shutdown, an event waiting for its retry is reported, not dropped silently', async () => {
    const shutdownLogger = capturingLogger();
    const reports: string[] = [];
    const waiting = await startFixtureLambda({
      logger: shutdownLogger,
      logSink: ({ requestId, text }) => {
        if (text.startsWith('REPORT')) reports.push(requestId);
      },
      async: { retryDelaysMs: [60_000, 120_000] },
    });
    const id = await sendEvent({ FunctionName: 'fail' }, waiting);
    // The first attempt has run and failed; the retry is a minute away.
    await expect.poll(() => reports.includes(id), { interval: 5 }).toBe(true);
    await expect.poll(() => waiting.running.lambda.stats().queuedEvents, { interval: 5 }).toBe(1);
    await waiting.close();
    expect(shutdownLogger.messages).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'shutting down: queued event dropped',
        object: expect.objectContaining({ requestId: id, function: 'fail', attempts: 1 }) as unknown,
      }),
    );
  });
});
