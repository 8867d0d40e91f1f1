/**
 * Tracing as an invoker decorator: each call runs under its own client span in the operation's
 * trace. Wrapping the invoker, rather than passing the trace into the loader, keeps `lambda/`
 * unaware of tracing (it imports nothing above it), and an untraced request pays nothing: it gets
 * the undecorated invoker.
 */
import type { InvokeRequest, InvokeResponse, LambdaInvoker, StreamingInvocation } from '../lambda/invoker.ts';
import type { OperationTrace } from './tracing.ts';

export function traceInvocations(invoker: LambdaInvoker, trace: OperationTrace): LambdaInvoker {
  const invokeStream = invoker.invokeStream?.bind(invoker);
  return {
    invoke: (request: InvokeRequest, signal?: AbortSignal): Promise<InvokeResponse> =>
      trace.invocation(request, () => invoker.invoke(request, signal)),
    ...(invokeStream === undefined
      ? {}
      : {
          invokeStream: (request: InvokeRequest, signal?: AbortSignal): Promise<StreamingInvocation> =>
            trace.streamInvocation(request, () => invokeStream(request, signal)),
        }),
    reachability: () => invoker.reachability(),
    destroy: () => invoker.destroy(),
  };
}
