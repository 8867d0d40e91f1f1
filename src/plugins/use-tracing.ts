/**
 * OpenTelemetry spans for each GraphQL operation: `graphql.operation` (named after the operation
 * once parsed) with `graphql.parse`, `graphql.validate` and `graphql.execute` (or
 * `graphql.subscribe`) under it; the invocation loader hangs a `Lambda.Invoke` span per
 * invocation under the execute span (observability/tracing.ts). An operation refused at parse or
 * validation, or before it executes (authentication, rate limits), ends as failed.
 *
 * Written on @opentelemetry/api rather than taken from @envelop/opentelemetry, which depends on
 * the 1.x line of the OpenTelemetry SDK (no longer maintained) and makes a span per resolver.
 */
import { type Span, SpanStatusCode } from '@opentelemetry/api';
import { type DocumentNode, type ExecutionResult, GraphQLError, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { type GatewayTracing, type OperationTrace, SPAN } from '../observability/tracing.ts';
import { requestIdOf } from '../http/request-id.ts';

interface WithRequest {
  readonly request?: Request;
}

function failed(span: Span, message: string): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

function firstError(errors: readonly unknown[]): string {
  const first = errors[0];
  const code = first instanceof GraphQLError ? first.extensions['code'] : undefined;
  const message = first instanceof Error ? first.message : String(first);
  return typeof code === 'string' ? `${code}: ${message}` : message;
}

/** Ends `phase` when its result is known; a result with errors fails the phase and the operation. */
function settle(operation: OperationTrace, phase: Span, result: unknown): void {
  const errors = (result as ExecutionResult | undefined)?.errors;
  if (errors !== undefined && errors.length > 0) {
    const message = firstError(errors);
    failed(phase, message);
    phase.end();
    operation.end(message);
    return;
  }
  phase.end();
  operation.end();
}

export function useTracing(tracing: GatewayTracing): Plugin {
  const operationOf = (context: unknown): OperationTrace | undefined => {
    const request = (context as WithRequest | undefined)?.request;
    return request === undefined ? undefined : tracing.operationOf(request);
  };
  return {
    onParse({ context }) {
      const request = (context as WithRequest).request;
      if (request === undefined) return undefined;
      const requestId = requestIdOf(request);
      const operation = tracing.startOperation(request, requestId === undefined ? {} : { 'gateway.request_id': requestId });
      const span = operation.phase(SPAN.parse);
      return ({ result }) => {
        if (result instanceof Error) {
          failed(span, result.message);
          span.end();
          operation.end(result.message);
          return;
        }
        span.end();
        const ast =
          result === null
            ? undefined
            : getOperationAST(result as DocumentNode, (context as { params?: { operationName?: string } }).params?.operationName);
        if (ast !== undefined && ast !== null) operation.describe(ast.operation, ast.name?.value);
      };
    },
    onValidate({ context }) {
      const operation = operationOf(context);
      if (operation === undefined) return undefined;
      const span = operation.phase(SPAN.validate);
      return ({ valid, result }) => {
        if (valid) {
          span.end();
          return;
        }
        const message = firstError(result);
        failed(span, message);
        span.end();
        operation.end(message);
      };
    },
    onExecute({ args }) {
      const operation = operationOf(args.contextValue);
      if (operation === undefined) return undefined;
      const span = operation.phase(SPAN.execute);
      return { onExecuteDone: ({ result }) => settle(operation, span, result) };
    },
    onSubscribe({ args }) {
      const operation = operationOf(args.contextValue);
      if (operation === undefined) return undefined;
      // Covers setting the subscription up; its events are not traced (it may stay open for hours).
      const span = operation.phase(SPAN.subscribe);
      return { onSubscribeResult: ({ result }) => settle(operation, span, result) };
    },
    // Over HTTP, an operation refused before it executed (its context could not be built) ends
    // here, with the status it was answered with.
    onResponse({ request, response }) {
      const operation = tracing.operationOf(request);
      if (operation === undefined) return;
      operation.end(response.status >= 400 ? `answered with HTTP ${response.status}` : undefined);
    },
  };
}
