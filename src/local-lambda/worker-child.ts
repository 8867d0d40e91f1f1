/**
 * The inside of one execution environment: a worker thread that imports a handler module once
 * (the init phase) and then runs one invocation at a time, like Node's Lambda runtime.
 * Console output becomes Lambda log lines; results and errors go back as `ChildMessage`s.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import v8 from 'node:v8';
import { finished } from 'node:stream/promises';
import { installAwsLambdaGlobal, isStreamingHandler, ResponseStream } from './response-stream.ts';
import { registerHandlerModuleHooks } from './handler-module-hooks.ts';
import { errorPayload, loggedError, UnhandledPromiseRejection } from './runtime-errors.ts';
import { installTaskRootStacks, taskRoot } from './task-root-stacks.ts';
import type { ChildMessage, FunctionErrorShape, InvokeMessage, ParentMessage, WorkerBootData } from './worker-protocol.ts';

if (isMainThread || parentPort === null) {
  throw new Error('worker-child.ts runs inside a worker thread started by the local Lambda');
}
const port = parentPort;
const boot = workerData as WorkerBootData;
const MiB = 1024 * 1024;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const root = taskRoot(boot.taskRoot);
const rewrite = root.rewrite;
installTaskRootStacks(root);
registerHandlerModuleHooks(boot.taskRoot);
// Before the handler module is imported: it calls `awslambda.streamifyResponse` at load time.
installAwsLambdaGlobal();

function post(message: ChildMessage, transfer?: ArrayBuffer[]): void {
  port.postMessage(message, transfer);
}

// --- Logs ------------------------------------------------------------------------------------
// Output is batched and flushed on the next turn of the event loop (and before every result), so
// a chatty function costs one message per turn, and lines written before a timeout still arrive
// unless the function blocks the loop.

// The id log lines carry: the invocation running, or after it returned the last one (as Node's
// runtime keeps it, so a timer's late output names the invocation that left it behind).
let currentRequestId = 'undefined';
/** The invocation in progress; undefined between invocations. */
let running: string | undefined;
let pendingLog = '';
let flushScheduled = false;

/**
 * Sends the buffered output; called whenever `running` changes, so one batch is one invocation's.
 * The functions folder reads `/var/task` in everything logged (a stack, an error's `path`, the
 * folder itself), as the function's log on AWS shows it.
 */
function flushLog(): void {
  flushScheduled = false;
  if (pendingLog === '') return;
  post({ type: 'log', text: rewrite(pendingLog), requestId: running });
  pendingLog = '';
}

function appendLog(text: string): void {
  pendingLog += text;
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushLog);
  }
}

function logLine(level: string, args: unknown[]): void {
  appendLog(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${format(...args)}\n`);
}

console.log = (...args: unknown[]) => logLine('INFO', args);
console.info = (...args: unknown[]) => logLine('INFO', args);
console.warn = (...args: unknown[]) => logLine('WARN', args);
console.error = (...args: unknown[]) => logLine('ERROR', args);
console.debug = (...args: unknown[]) => logLine('DEBUG', args);
console.trace = (...args: unknown[]) => {
  // The stack holds the function's frames only (task-root-stacks.ts): drop just the header.
  const stack = new Error().stack?.split('\n').slice(1).join('\n') ?? '';
  logLine('TRACE', [format(...args) + '\n' + stack]);
};
// Raw writes (what `print` is to Python) appear verbatim.
const rawWrite = (chunk: unknown, ...rest: unknown[]): boolean => {
  appendLog(typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array));
  const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
  callback?.();
  return true;
};
process.stdout.write = rawWrite;
process.stderr.write = rawWrite;

// --- Errors ----------------------------------------------------------------------------------

let crashed = false;
/**
 * An error nobody caught ends the environment, as in Node's runtime (which exits): it is logged,
 * and reported for the invocation running, if any. Once crashed, the worker runs no invocation.
 */
function crash(label: 'Uncaught Exception' | 'Unhandled Promise Rejection', error: unknown): void {
  if (crashed) return;
  crashed = true;
  logLine('ERROR', [label, loggedError(error)]);
  flushLog();
  post({ type: 'crash', error: errorPayload(error, rewrite), requestId: running });
}
process.on('uncaughtException', (error) => crash('Uncaught Exception', error));
process.on('unhandledRejection', (reason, promise) => {
  crash('Unhandled Promise Rejection', new UnhandledPromiseRejection(reason, promise));
});

function maxMemoryUsedMb(): number {
  const heap = v8.getHeapStatistics();
  return Math.max(1, Math.ceil((heap.used_heap_size + heap.external_memory) / MiB));
}

// --- Init ------------------------------------------------------------------------------------

type Handler = (event: unknown, context: LambdaContext) => unknown;

async function init(): Promise<{ handler: Handler } | { error: FunctionErrorShape }> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(boot.modulePath).href)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      return { error: { ...errorPayload(error, rewrite), errorType: 'Runtime.ImportModuleError', errorMessage: rewrite(String(error)) } };
    }
    if (error instanceof SyntaxError) {
      // As AWS reports it: `SyntaxError: <message>`, also for TypeScript's
      // `SyntaxError [ERR_INVALID_TYPESCRIPT_SYNTAX]`, and the trace headed by the runtime's type.
      const errorMessage = rewrite(`SyntaxError: ${error.message}`);
      const frames = (errorPayload(error, rewrite).trace ?? []).filter((line) => line.startsWith('    at '));
      return {
        error: {
          errorType: 'Runtime.UserCodeSyntaxError',
          errorMessage,
          trace: [`Runtime.UserCodeSyntaxError: ${errorMessage}`, ...frames],
        },
      };
    }
    return { error: errorPayload(error, rewrite) };
  }
  // A CommonJS module arrives as `default`; an ES module exports the handler by name.
  const commonJs = module.default;
  const candidate =
    module[boot.exportName] ??
    (typeof commonJs === 'object' && commonJs !== null ? (commonJs as Record<string, unknown>)[boot.exportName] : undefined);
  if (typeof candidate !== 'function') {
    return {
      error: {
        errorType: 'Runtime.HandlerNotFound',
        errorMessage: `${boot.handler} is undefined or not exported`,
        trace: [`Runtime.HandlerNotFound: ${boot.handler} is undefined or not exported`],
      },
    };
  }
  return { handler: candidate as Handler };
}

// --- Invoke ----------------------------------------------------------------------------------

/** The `context` argument, with the members Node's Lambda runtime provides. */
interface LambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  /** A string, as in Node's Lambda runtime. */
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly clientContext: unknown;
  readonly identity: undefined;
  getRemainingTimeInMillis(): number;
}

/** The response stream of the invocation running, for acks and aborts addressed to it. */
let activeStream: { readonly requestId: string; readonly stream: ResponseStream } | undefined;

function onStreamControl(message: Exclude<ParentMessage, InvokeMessage>): void {
  if (activeStream?.requestId !== message.requestId) return;
  if (message.type === 'ack') activeStream.stream.ack(message.bytes);
  // Closed without an error, as a socket that went away: writes then fail through their
  // callbacks and `pipeline` rejects, but no 'error' event goes unhandled in the handler.
  else activeStream.stream.destroy();
}

/**
 * Runs a streamified handler: it resolves once the handler's promise has and its stream has
 * ended (ended for it if it did not), every byte posted.
 */
async function runStreaming(handler: Handler, requestId: string, event: unknown, context: LambdaContext): Promise<void> {
  const stream = new ResponseStream((bytes) => post({ type: 'chunk', requestId, payload: bytes }, [bytes.buffer as ArrayBuffer]));
  activeStream = { requestId, stream };
  try {
    await (handler as unknown as (e: unknown, s: ResponseStream, c: LambdaContext) => unknown)(event, stream, context);
    if (!stream.writableEnded && !stream.destroyed) stream.end();
    // A stream the client closed counts as done: the handler returned.
    await finished(stream).catch(() => undefined);
  } finally {
    activeStream = undefined;
    if (!stream.destroyed) stream.destroy();
  }
}

async function invoke(handler: Handler, message: InvokeMessage): Promise<void> {
  const { requestId, deadline } = message;
  // A worker that crashed never runs another invocation: the parent, which sent this one before
  // it read the crash, gets the payload back and runs it in a fresh environment.
  if (crashed) {
    post({ type: 'refused', requestId, payload: message.payload }, [message.payload.buffer as ArrayBuffer]);
    return;
  }
  flushLog();
  running = requestId;
  currentRequestId = requestId;
  const context: LambdaContext = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: boot.functionName,
    functionVersion: boot.functionVersion,
    invokedFunctionArn: message.invokedFunctionArn,
    memoryLimitInMB: String(boot.memorySizeMb),
    awsRequestId: requestId,
    logGroupName: boot.logGroupName,
    logStreamName: boot.logStreamName,
    clientContext: message.clientContext,
    identity: undefined,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  let payload: Uint8Array;
  const streamed = isStreamingHandler(handler);
  try {
    const event: unknown = JSON.parse(decoder.decode(message.payload));
    if (streamed) {
      await runStreaming(handler, requestId, event, context);
      payload = new Uint8Array(0);
    } else if (handler.length >= 3) {
      // Node 24's Lambda runtime dropped callback handlers; say so instead of returning null.
      throw Object.assign(
        new Error(`${boot.handler} takes a callback (3 parameters); Node.js 24 handlers must be async or return a value`),
        { name: 'Runtime.CallbackHandlerDeprecated' },
      );
    } else {
      const result = await handler(event, context);
      payload = encoder.encode(JSON.stringify(result) ?? 'null');
    }
  } catch (error) {
    if (crashed) return;
    logLine('ERROR', ['Invoke Error', loggedError(error)]);
    flushLog();
    running = undefined;
    post({ type: 'error', requestId, error: errorPayload(error, rewrite), maxMemoryUsedMb: maxMemoryUsedMb() });
    return;
  }
  if (crashed) return;
  flushLog();
  running = undefined;
  post({ type: 'result', requestId, payload, streamed, maxMemoryUsedMb: maxMemoryUsedMb() }, [payload.buffer as ArrayBuffer]);
}

const initialised = await init();
if ('error' in initialised) {
  logLine('ERROR', [`Init Error \t${JSON.stringify(initialised.error)}`]);
  flushLog();
  post({ type: 'ready', initError: initialised.error, maxMemoryUsedMb: maxMemoryUsedMb() });
} else {
  const { handler } = initialised;
  flushLog();
  post({ type: 'ready', initError: undefined, maxMemoryUsedMb: maxMemoryUsedMb() });
  port.on('message', (message: ParentMessage) => {
    if (message.type === 'invoke') void invoke(handler, message);
    else onStreamControl(message);
  });
}
