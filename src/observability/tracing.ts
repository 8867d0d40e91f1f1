/**
 * OpenTelemetry tracing, when configured: a span per GraphQL operation (with parse, validate and
 * execute under it) and a client span per Lambda invocation under the execute span, continuing the
 * trace of an incoming W3C `traceparent`.
 *
 * Parents are passed explicitly — the operation's spans are kept per request, and the invocation
 * loader is handed its request's `OperationTrace` — rather than through a global context manager,
 * so tracing installs nothing process-wide and costs nothing when it is off (the plugin is not
 * installed and the loader skips one `undefined` check).
 */
import {
  type Attributes,
  type Context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { isInvocationFailure, LambdaServiceError } from '../lambda/errors.ts';
import type { InvokeRequest, InvokeResponse, StreamEvent, StreamingInvocation } from '../lambda/invoker.ts';

export interface TracingOptions {
  /** `service.name` of the spans this gateway exports. @default "lambda-graphql-gateway" */
  readonly serviceName?: string;
  /**
   * Where spans are sent, as OTLP/HTTP JSON (`http://collector:4318/v1/traces`). Without it the
   * spans go to the process's global tracer provider — whatever the host registered (for example
   * `@opentelemetry/sdk-node` through `--import`), and nowhere if it registered none.
   * @default none: the global provider
   */
  readonly otlpEndpoint?: string;
  /** Extra headers on every export (an API key of the tracing backend). @default {} */
  readonly otlpHeaders?: Readonly<Record<string, string>>;
}

export const TRACER_NAME = 'lambda-graphql-gateway';

/** The span names, as they appear in a trace. */
export const SPAN = {
  operation: 'graphql.operation',
  parse: 'graphql.parse',
  validate: 'graphql.validate',
  execute: 'graphql.execute',
  subscribe: 'graphql.subscribe',
  invoke: 'Lambda.Invoke',
  invokeStream: 'Lambda.InvokeWithResponseStream',
} as const;

const headerGetter: TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key) ?? undefined,
};

export class GatewayTracing {
  readonly tracer: Tracer;
  readonly #propagator = new W3CTraceContextPropagator();
  readonly #operations = new WeakMap<Request, OperationTrace>();
  readonly #shutdown: () => Promise<void>;

  constructor(provider: TracerProvider, shutdown: () => Promise<void>) {
    this.tracer = provider.getTracer(TRACER_NAME);
    this.#shutdown = shutdown;
  }

  /** Starts the trace of the operation `request` carries, under its `traceparent` if any. */
  startOperation(request: Request, attributes: Attributes): OperationTrace {
    const parent = this.#propagator.extract(ROOT_CONTEXT, request.headers, headerGetter);
    const operation = new OperationTrace(this.tracer, parent, attributes);
    this.#operations.set(request, operation);
    return operation;
  }

  /** The trace of the operation `request` carries (one operation per request: batching is off). */
  operationOf(request: Request): OperationTrace | undefined {
    return this.#operations.get(request);
  }

  /** Exports what is still buffered and stops (only a provider the gateway made itself). */
  shutdown(): Promise<void> {
    return this.#shutdown();
  }
}

/**
 * Builds the tracing of one gateway: a tracer provider of its own exporting to `otlpEndpoint`, the
 * one given (tests), or the global one. The SDK is loaded only when tracing is configured.
 */
export async function createTracing(options: TracingOptions, provider?: TracerProvider): Promise<GatewayTracing> {
  if (provider !== undefined) return new GatewayTracing(provider, () => Promise.resolve());
  if (options.otlpEndpoint === undefined) return new GatewayTracing(trace.getTracerProvider(), () => Promise.resolve());
  const [{ BatchSpanProcessor, TracerProvider: SdkTracerProvider }, { OTLPTraceExporter }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  const own = new SdkTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName ?? TRACER_NAME }),
    spanProcessors: [
      new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: options.otlpEndpoint, headers: { ...options.otlpHeaders } }) }),
    ],
  });
  return new GatewayTracing(own, () => own.shutdown());
}

/** The spans of one GraphQL operation. Ending is idempotent: whichever phase finishes it first. */
export class OperationTrace {
  readonly #tracer: Tracer;
  readonly #span: Span;
  readonly #context: Context;
  /** Where invocation spans go: the execute span once it has started. */
  #parentOfInvocations: Context;
  #ended = false;

  constructor(tracer: Tracer, parent: Context, attributes: Attributes) {
    this.#tracer = tracer;
    this.#span = tracer.startSpan(SPAN.operation, { kind: SpanKind.SERVER, attributes }, parent);
    this.#context = trace.setSpan(parent, this.#span);
    this.#parentOfInvocations = this.#context;
  }

  /** Names the operation once its document is known (`mutation InvokeEcho`). */
  describe(type: string, name: string | undefined): void {
    this.#span.updateName(name === undefined ? type : `${type} ${name}`);
    this.#span.setAttribute('graphql.operation.type', type);
    if (name !== undefined) this.#span.setAttribute('graphql.operation.name', name);
  }

  /** Starts a phase (parse, validate, execute) under the operation span. */
  phase(name: string): Span {
    const span = this.#tracer.startSpan(name, {}, this.#context);
    if (name === SPAN.execute || name === SPAN.subscribe) this.#parentOfInvocations = trace.setSpan(this.#context, span);
    return span;
  }

  /** Ends the operation; with `errorMessage`, as failed. */
  end(errorMessage?: string): void {
    if (this.#ended) return;
    this.#ended = true;
    if (errorMessage !== undefined) this.#span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage });
    this.#span.end();
  }

  /** Runs one invocation under its own client span, recording what Lambda answered. */
  async invocation(request: InvokeRequest, invoke: () => Promise<InvokeResponse>): Promise<InvokeResponse> {
    const span = this.#invocationSpan(request, SPAN.invoke, 'Invoke');
    try {
      const response = await invoke();
      span.setAttribute('aws.lambda.status_code', response.statusCode);
      if (response.requestId !== undefined) span.setAttribute('aws.request_id', response.requestId);
      if (response.executedVersion !== undefined) span.setAttribute('aws.lambda.executed_version', response.executedVersion);
      if (response.functionError !== undefined) {
        // The function ran and failed: a successful call to Lambda, but a failed invocation.
        span.setAttribute('aws.lambda.function_error', response.functionError);
        span.setAttribute('error.type', 'FunctionError');
        span.setStatus({ code: SpanStatusCode.ERROR, message: `The function failed (${response.functionError})` });
      }
      return response;
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  /**
   * Runs one streaming invocation under its own client span, which stays open until the stream
   * ends: the span's duration is the stream's, and a function error reported in its last event
   * marks it failed, as for Invoke.
   */
  async streamInvocation(request: InvokeRequest, invoke: () => Promise<StreamingInvocation>): Promise<StreamingInvocation> {
    const span = this.#invocationSpan(request, SPAN.invokeStream, 'InvokeWithResponseStream');
    let streaming: StreamingInvocation;
    try {
      streaming = await invoke();
    } catch (error) {
      failSpan(span, error);
      span.end();
      throw error;
    }
    span.setAttribute('aws.lambda.status_code', streaming.statusCode);
    if (streaming.requestId !== undefined) span.setAttribute('aws.request_id', streaming.requestId);
    if (streaming.executedVersion !== undefined) span.setAttribute('aws.lambda.executed_version', streaming.executedVersion);
    const source = streaming.events;
    async function* traced(): AsyncGenerator<StreamEvent> {
      let bytes = 0;
      try {
        for await (const event of source) {
          if (event.kind === 'chunk') bytes += event.bytes.byteLength;
          else if (event.errorCode !== undefined) {
            span.setAttribute('aws.lambda.function_error', event.errorCode);
            span.setAttribute('error.type', 'FunctionError');
            span.setStatus({ code: SpanStatusCode.ERROR, message: `The function failed (${event.errorCode})` });
          }
          yield event;
        }
      } catch (error) {
        failSpan(span, error);
        throw error;
      } finally {
        span.setAttribute('aws.lambda.response_bytes', bytes);
        span.end();
      }
    }
    const generator = traced();
    let started = false;
    // Stopping early must reach the invoker's stream at once, not at its next event.
    const events: AsyncIterableIterator<StreamEvent> = {
      next: () => {
        started = true;
        return generator.next();
      },
      return: async (value?: unknown) => {
        await source.return?.(value);
        // A generator never started skips its `finally`: the span is ended here instead (a
        // subscription left before its first event; the call had started with it).
        if (!started) {
          span.setAttribute('aws.lambda.response_bytes', 0);
          span.end();
        }
        return generator.return(undefined);
      },
      [Symbol.asyncIterator]: () => events,
    };
    return { ...streaming, events };
  }

  #invocationSpan(request: InvokeRequest, name: string, method: string): Span {
    return this.#tracer.startSpan(
      name,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'rpc.system': 'aws-api',
          'rpc.service': 'Lambda',
          'rpc.method': method,
          'faas.invoked_provider': 'aws',
          'faas.invoked_name': request.target.name,
          ...(request.target.region === undefined ? {} : { 'faas.invoked_region': request.target.region }),
          'aws.lambda.qualifier': request.target.qualifier ?? '$LATEST',
          'aws.lambda.invocation_type': request.invocationType,
          'aws.lambda.log_type': request.logType,
          ...(request.timeoutMs === undefined ? {} : { 'aws.lambda.timeout_ms': request.timeoutMs }),
        },
      },
      this.#parentOfInvocations,
    );
  }
}

/** Records why a call to Lambda failed on its span. */
function failSpan(span: Span, error: unknown): void {
  const failure = error instanceof Error ? error : new Error(String(error));
  span.recordException(failure);
  span.setAttribute('error.type', isInvocationFailure(failure) ? failure.name : 'Error');
  if (failure instanceof LambdaServiceError) {
    if (failure.httpStatus !== undefined) span.setAttribute('aws.lambda.status_code', failure.httpStatus);
    if (failure.requestId !== undefined) span.setAttribute('aws.request_id', failure.requestId);
  }
  span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
}
