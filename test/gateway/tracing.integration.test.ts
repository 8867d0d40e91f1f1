/**
 * OpenTelemetry tracing, with the SDK's own tracer provider and in-memory exporter: the span tree of
 * an operation (operation → parse, validate, execute → one Lambda.Invoke per invocation), the
 * attributes of each invocation, error status for a function error and a missing function, the
 * trace continued from an incoming `traceparent`; nothing when tracing is off; and OTLP/HTTP export
 * to a receiver started here on loopback.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type TestGateway, startTestGateway } from '../helpers/gateway.ts';
import { subscribeWith } from '../helpers/subscriptions.ts';
import { InvokeFunctionDocument, InvokeFunctionsDocument, InvokeFunctionStreamDocument } from './documents.ts';

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway({ tracing: { serviceName: 'gateway-under-test' } }, { tracerProvider: provider });
});
afterAll(async () => {
  await gateway.close();
  await provider.shutdown();
});
afterEach(() => exporter.reset());

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_SPAN_ID}-01`;

const idOf = (span: ReadableSpan) => span.spanContext().spanId;
const named = (name: string) => exporter.getFinishedSpans().filter((span) => span.name === name);
const childrenOf = (parent: ReadableSpan) => exporter.getFinishedSpans().filter((span) => span.parentSpanContext?.spanId === idOf(parent));
function only(name: string): ReadableSpan {
  const spans = named(name);
  expect(spans, `one ${name} span`).toHaveLength(1);
  return spans[0] as ReadableSpan;
}

describe('tracing an operation', () => {
  it('continues the incoming trace: operation → parse, validate, execute → Lambda.Invoke with what Lambda answered', async () => {
    const result = await gateway.execute(
      InvokeFunctionDocument,
      { input: { functionName: 'echo', qualifier: 'live', payload: { traced: true } } },
      { traceparent: TRACEPARENT },
    );
    const invocation = result.data?.invokeFunction;
    expect(invocation).toMatchObject({ __typename: 'Invocation', statusCode: 200 });
    const requestId = invocation?.__typename === 'Invocation' ? invocation.requestId : undefined;

    const operation = only('mutation InvokeFunction');
    expect(operation.kind).toBe(SpanKind.SERVER);
    expect(operation.spanContext().traceId).toBe(TRACE_ID);
    expect(operation.parentSpanContext?.spanId).toBe(PARENT_SPAN_ID);
    expect(operation.attributes).toMatchObject({ 'graphql.operation.type': 'mutation', 'graphql.operation.name': 'InvokeFunction' });
    expect(operation.attributes['gateway.request_id']).toEqual(expect.any(String));
    expect(operation.status.code).toBe(SpanStatusCode.UNSET);
    expect(
      childrenOf(operation)
        .map((span) => span.name)
        .sort(),
    ).toEqual(['graphql.execute', 'graphql.parse', 'graphql.validate']);

    const invoke = only('Lambda.Invoke');
    expect(invoke.parentSpanContext?.spanId).toBe(idOf(only('graphql.execute')));
    expect(invoke.spanContext().traceId).toBe(TRACE_ID);
    expect(invoke.kind).toBe(SpanKind.CLIENT);
    expect(invoke.attributes).toEqual({
      'rpc.system': 'aws-api',
      'rpc.service': 'Lambda',
      'rpc.method': 'Invoke',
      'faas.invoked_provider': 'aws',
      'faas.invoked_name': 'echo',
      'aws.lambda.qualifier': 'live',
      'aws.lambda.invocation_type': 'RequestResponse',
      'aws.lambda.log_type': 'None',
      'aws.lambda.timeout_ms': 60_000,
      'aws.lambda.status_code': 200,
      'aws.lambda.executed_version': '1',
      'aws.request_id': requestId,
    });
    expect(invoke.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('marks a function error: status error, the error kind, Lambda’s request id', async () => {
    const result = await gateway.execute(InvokeFunctionDocument, { input: { functionName: 'fail' } });
    expect(result.data?.invokeFunction).toMatchObject({ __typename: 'Invocation', functionError: { kind: 'Unhandled' } });
    const invoke = only('Lambda.Invoke');
    expect(invoke.status).toEqual({ code: SpanStatusCode.ERROR, message: 'The function failed (Unhandled)' });
    expect(invoke.attributes).toMatchObject({
      'faas.invoked_name': 'fail',
      'aws.lambda.status_code': 200,
      'aws.lambda.function_error': 'Unhandled',
      'error.type': 'FunctionError',
      'aws.request_id': result.data?.invokeFunction.__typename === 'Invocation' ? result.data.invokeFunction.requestId : 'missing',
    });
    // A function error is data, not a GraphQL error: the operation itself succeeded.
    expect(only('mutation InvokeFunction').status.code).toBe(SpanStatusCode.UNSET);
  });

  it('marks a missing function: status error with Lambda’s message, the error type, the exception recorded', async () => {
    const result = await gateway.execute(InvokeFunctionDocument, { input: { functionName: 'no-such-function' } });
    const outcome = result.data?.invokeFunction;
    if (outcome?.__typename !== 'FunctionNotFoundError') throw new Error(`expected FunctionNotFoundError, got ${outcome?.__typename}`);
    const invoke = only('Lambda.Invoke');
    expect(invoke.status).toEqual({ code: SpanStatusCode.ERROR, message: outcome.message });
    expect(invoke.attributes).toMatchObject({ 'faas.invoked_name': 'no-such-function', 'error.type': 'FunctionNotFoundError' });
    expect(invoke.attributes['aws.lambda.status_code']).toBeUndefined();
    expect(invoke.events.map((event) => [event.name, event.attributes?.['exception.type']])).toEqual([
      ['exception', 'FunctionNotFoundError'],
    ]);
    // Without a traceparent the operation starts a trace of its own.
    const operation = only('mutation InvokeFunction');
    expect(operation.parentSpanContext).toBeUndefined();
    expect(invoke.spanContext().traceId).toBe(operation.spanContext().traceId);
  });

  it('puts every invocation of a batch under the one execute span', async () => {
    await gateway.execute(InvokeFunctionsDocument, {
      inputs: [{ functionName: 'noop' }, { functionName: 'echo' }, { functionName: 'noop' }],
    });
    const execute = only('graphql.execute');
    const invocations = named('Lambda.Invoke');
    expect(invocations.map((span) => span.attributes['faas.invoked_name']).sort()).toEqual(['echo', 'noop', 'noop']);
    for (const span of invocations) expect(span.parentSpanContext?.spanId).toBe(idOf(execute));
  });

  it('traces an operation sent over graphql-ws the same way: operation → execute → Lambda.Invoke', async () => {
    const sent = subscribeWith('graphql-ws', gateway.running.url, InvokeFunctionDocument, {
      input: { functionName: 'echo', payload: { over: 'ws' } },
    });
    try {
      await sent.completed;
    } finally {
      sent.dispose();
    }
    expect(sent.values[0]?.invokeFunction).toMatchObject({ __typename: 'Invocation', statusCode: 200 });
    // The operation span ends just after the result is sent.
    await expect.poll(() => named('mutation InvokeFunction')).toHaveLength(1);
    const operation = only('mutation InvokeFunction');
    expect(operation.kind).toBe(SpanKind.SERVER);
    const execute = only('graphql.execute');
    expect(execute.parentSpanContext?.spanId).toBe(idOf(operation));
    const invoke = only('Lambda.Invoke');
    expect(invoke.parentSpanContext?.spanId).toBe(idOf(execute));
    expect(invoke.attributes).toMatchObject({ 'faas.invoked_name': 'echo', 'aws.lambda.status_code': 200 });
  });

  it('traces a response stream with one Lambda.InvokeWithResponseStream span open until the stream ends', async () => {
    const sent = subscribeWith('graphql-sse', gateway.running.url, InvokeFunctionStreamDocument, {
      input: { functionName: 'stream', payload: { chunks: 2, intervalMs: 1 } },
    });
    await sent.completed;
    await expect.poll(() => named('Lambda.InvokeWithResponseStream')).toHaveLength(1);
    const span = only('Lambda.InvokeWithResponseStream');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.attributes).toMatchObject({
      'rpc.method': 'InvokeWithResponseStream',
      'faas.invoked_name': 'stream',
      'aws.lambda.status_code': 200,
      'aws.lambda.response_bytes': 22,
    });
    expect(span.attributes['aws.request_id']).toEqual(expect.any(String));
  });

  it('ends an operation refused at validation as failed, with no execute span', async () => {
    const response = await fetch(gateway.running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: 'query Broken { gateway { noSuchField } }' }),
    });
    expect(response.status).toBe(400);
    const operation = only('query Broken');
    expect(operation.status.code).toBe(SpanStatusCode.ERROR);
    expect(operation.status.message).toMatch(/noSuchField/);
    expect(only('graphql.validate').status.code).toBe(SpanStatusCode.ERROR);
    expect(named('graphql.execute')).toHaveLength(0);
  });
});

describe('an operation refused before it executes', () => {
  it('ends as failed with the HTTP status it was answered with', async () => {
    const guarded = await startTestGateway(
      { tracing: {}, auth: { apiKeys: [{ id: 'k', sha256: 'a'.repeat(64) }] } },
      { tracerProvider: provider },
    );
    try {
      const response = await fetch(guarded.running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', traceparent: TRACEPARENT },
        body: JSON.stringify({ query: 'query Info { gateway { region } }' }),
      });
      expect(response.status).toBe(401);
      const operation = only('query Info');
      expect(operation.status).toEqual({ code: SpanStatusCode.ERROR, message: 'answered with HTTP 401' });
      expect(operation.parentSpanContext?.spanId).toBe(PARENT_SPAN_ID);
      expect(named('graphql.execute')).toHaveLength(0);
    } finally {
      await guarded.close();
    }
  });
});

describe('tracing off', () => {
  it('is the default: no spans, even with a tracer provider at hand', async () => {
    const untraced = await startTestGateway({}, { tracerProvider: provider });
    try {
      const result = await untraced.execute(InvokeFunctionDocument, { input: { functionName: 'echo' } }, { traceparent: TRACEPARENT });
      expect(result.data?.invokeFunction).toMatchObject({ __typename: 'Invocation' });
      expect(exporter.getFinishedSpans()).toEqual([]);
    } finally {
      await untraced.close();
    }
  });
});

describe('OTLP export', () => {
  interface ExportedSpan {
    readonly name: string;
    readonly traceId: string;
    readonly parentSpanId?: string;
    readonly attributes: ReadonlyArray<{ key: string; value: Record<string, unknown> }>;
  }
  interface ExportRequest {
    readonly resourceSpans: ReadonlyArray<{
      resource: { attributes: ReadonlyArray<{ key: string; value: { stringValue?: string } }> };
      scopeSpans: ReadonlyArray<{ scope: { name: string }; spans: readonly ExportedSpan[] }>;
    }>;
  }

  let receiver: Server;
  const received: Array<{
    path: string | undefined;
    contentType: string | undefined;
    tenant: string | string[] | undefined;
    body: ExportRequest;
  }> = [];
  beforeAll(async () => {
    receiver = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          path: request.url,
          contentType: request.headers['content-type'],
          tenant: request.headers['x-tenant'],
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as ExportRequest,
        });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  it('sends the spans as OTLP/HTTP JSON under the configured service name, flushed when the gateway closes', async () => {
    const { port } = receiver.address() as AddressInfo;
    const exporting = await startTestGateway({
      tracing: { serviceName: 'otlp-gateway', otlpEndpoint: `http://127.0.0.1:${port}/v1/traces`, otlpHeaders: { 'x-tenant': 't1' } },
    });
    let requestId: string | undefined;
    try {
      const result = await exporting.execute(InvokeFunctionDocument, { input: { functionName: 'echo' } }, { traceparent: TRACEPARENT });
      requestId = result.data?.invokeFunction.__typename === 'Invocation' ? result.data.invokeFunction.requestId : undefined;
    } finally {
      // The batch processor exports what it holds on shutdown, which close() awaits.
      await exporting.close();
    }
    expect(received.length).toBeGreaterThan(0);
    expect(received.every((r) => r.path === '/v1/traces' && r.contentType === 'application/json' && r.tenant === 't1')).toBe(true);
    const resources = received.flatMap((r) => r.body.resourceSpans);
    expect(
      resources.every((rs) => rs.resource.attributes.some((a) => a.key === 'service.name' && a.value.stringValue === 'otlp-gateway')),
    ).toBe(true);
    const spans = resources.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
    expect(spans.map((span) => span.name).sort()).toEqual([
      'Lambda.Invoke',
      'graphql.execute',
      'graphql.parse',
      'graphql.validate',
      'mutation InvokeFunction',
    ]);
    // Trace ids are hex in OTLP/JSON.
    expect(new Set(spans.map((span) => span.traceId))).toEqual(new Set([TRACE_ID]));
    const invoke = spans.find((span) => span.name === 'Lambda.Invoke');
    expect(invoke?.attributes).toContainEqual({ key: 'aws.request_id', value: { stringValue: requestId } });
  });
});
