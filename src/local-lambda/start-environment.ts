/**
 * The one place that picks how a function's execution environment runs, from its runtime: Node
 * functions in a worker thread (execution-environment.ts), Python and custom runtimes as a process
 * speaking the Runtime API (process-environment.ts). Both have the same members, so the pool's
 * warm reuse, concurrency, retirement and shutdown apply to either.
 */
import { ExecutionEnvironment } from './execution-environment.ts';
import type { ResolvedFunction } from './registry.ts';
import { ProcessEnvironment } from './process-environment.ts';
import { processCommand, processEnvironment } from './runtimes.ts';
import type { WorkerBootData } from './worker-protocol.ts';

export type LambdaEnvironment = ExecutionEnvironment | ProcessEnvironment;

/**
 * Starts an environment for `fn` with Lambda's variables (`lambdaVariables`, built by the pool)
 * and waits for its init phase.
 */
export function startEnvironment(
  fn: ResolvedFunction,
  lambdaVariables: Record<string, string>,
  boot: WorkerBootData,
  onInitLog: (text: string) => void,
): Promise<LambdaEnvironment> {
  const { definition, code } = fn;
  const kind = definition.runtimeKind;
  if (kind === 'node') return ExecutionEnvironment.start(boot, lambdaVariables, onInitLog);
  // The host's PATH is read only to find python3; the process gets its own (runtimes.ts).
  const hostPath = process.env['PATH'] ?? '';
  const command = processCommand(kind, definition.taskRoot, hostPath);
  return ProcessEnvironment.start(
    {
      command: command ?? { unavailable: `python3 was not found on the local Lambda's PATH (${hostPath})` },
      taskRoot: definition.taskRoot,
      environment: (runtimeApi, found) =>
        processEnvironment({
          runtime: definition.runtime,
          kind,
          lambda: lambdaVariables,
          functionEnvironment: code.environment,
          command: found,
          runtimeApi,
        }),
    },
    onInitLog,
  );
}
