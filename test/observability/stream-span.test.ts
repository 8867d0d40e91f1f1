/**
 * The client span of a response stream (OperationTrace.streamInvocation) ends however the stream
 * ends — including a stream whose reader leaves before asking for its first event, which the
 * gateway now makes possible by starting the call as the subscription is set up.
 */
import { context } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { OperationTrace } from '../../src/observability/tracing.ts';
import { traceInvocations } from '../../src/observability/traced-invoker.ts';
import { FakeStream, recordingInvoker } from '../invocations/fake-invoker.ts';
import type { InvokeRequest } from '../../src/lambda/invoker.ts';
import { invokeRequest } from '../helpers/invoke-request.ts';

const streamRequest = (): InvokeRequest => invokeRequest('stream');

function traced(fake: FakeStream) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const operation = new OperationTrace(provider.getTracer('test'), context.active(), {});
  const invoker = traceInvocations(
    recordingInvoker(undefined, () => fake),
    operation,
  );
  const spans = () => exporter.getFinishedSpans().filter((span) => span.name === 'Lambda.InvokeWithResponseStream');
  return { invoker, spans };
}

describe('the Lambda.InvokeWithResponseStream span', () => {
  it('ends with the stream read to its end, counting its bytes', async () => {
    const { invoker, spans } = traced(new FakeStream('r-1').write('abc').complete());
    const streaming = await invoker.invokeStream?.(streamRequest(), undefined);
    for await (const _ of streaming?.events ?? []) void _;
    expect(spans()).toHaveLength(1);
    expect(spans()[0]?.attributes['aws.lambda.response_bytes']).toBe(3);
  });

  it('ends when the reader leaves before its first event', async () => {
    const fake = new FakeStream('r-1');
    const { invoker, spans } = traced(fake);
    const streaming = await invoker.invokeStream?.(streamRequest(), undefined);
    await streaming?.events.return?.(undefined);
    expect(fake.stopped).toBe(true);
    expect(spans()).toHaveLength(1);
    expect(spans()[0]?.attributes['aws.lambda.response_bytes']).toBe(0);
  });
});
