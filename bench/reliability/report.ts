/** The blocks of `bench/reliability`'s report: what each phase counted (the checks are the harness's targets table). */
import type { Report } from '../harness/report.ts';
import { type Block, fixed, integer } from '../harness/table.ts';
import type { DrainCounts, DrainResult } from './drain.ts';
import type { MixedResult } from './mixed-load.ts';

const drainRow = (name: string, counts: DrainCounts): string[] => [
  name,
  ...[counts.started, counts.completed, counts.refused503, counts.connectionRefused, counts.cut, counts.other].map(integer),
];

export function reliabilityReport({ mixed, drain }: { readonly mixed: MixedResult; readonly drain: DrainResult }): Report {
  const k = mixed.byKind;
  const problems = [...mixed.problems.map((p) => `mixed: ${p}`), ...drain.problems.map((p) => `drain: ${p}`)];
  const blocks: Block[] = [
    {
      text: [
        `mixed load: ${integer(mixed.requests)} requests at ${mixed.concurrency} in flight in ${fixed(mixed.elapsedMs / 1000, 1)} s ` +
          `(${integer(mixed.perSecond)}/s; median ${fixed(mixed.latency.medianMs, 2)} ms, p99 ${fixed(mixed.latency.p99Ms, 2)} ms, max ${fixed(mixed.latency.maxMs, 1)} ms)`,
        `  ${integer(k.query)} queries, ${integer(k.echo)} echo (unique id), ${integer(k.replayGroups)} idempotency keys: ` +
          `${integer(k.replayFirst)} first uses + ${integer(k.replay)} replays`,
        `  HTTP statuses: ${Object.entries(mixed.statuses)
          .map(([status, count]) => `${status} × ${integer(count)}`)
          .join(', ')}`,
      ],
    },
    {
      header: ['mixed load', 'count'],
      rows: [
        [
          'requests answered exactly once',
          `${integer(mixed.answeredOnce)} (lost ${mixed.lost}, dup ${mixed.duplicates}, transport err ${mixed.transportErrors})`,
        ],
        ['5xx answers', integer(mixed.fiveXx)],
        [
          'echo answers with the id sent (+ queries ok)',
          `${integer(mixed.echoCorrect)} + ${integer(mixed.queriesCorrect)} (mismatched ${mixed.echoMismatched})`,
        ],
        ['echo executions vs asked (non-replayed answered)', `${integer(mixed.echoExecutions)} vs ${integer(mixed.echoAsked)}`],
        ['  (Invoke HTTP requests seen by the local Lambda)', integer(mixed.echoInvokeRequests)],
        ['replays: replayed=true, first requestId, same id', `${integer(mixed.replaysCorrect)} (wrong ${mixed.replaysWrong})`],
      ],
    },
    {
      text: [
        `SIGTERM during load: ${integer(drain.requests)} × sleep {ms: ${drain.sleepMs}} at ${drain.concurrency} in flight; SIGTERM when #${drain.sigtermAfterStarted} was started ` +
          `(${fixed(drain.sigtermAtMs, 0)} ms in), close(${drain.graceMs}) took ${drain.closeMs === undefined ? '—' : `${fixed(drain.closeMs, 0)} ms`}, ` +
          `exit code ${drain.exitCode}; last 200 at ${fixed(drain.lastCompletedMs, 0)} ms`,
      ],
    },
    {
      header: ['requests', 'started', '200 + result', '503', 'conn refused', 'cut', 'other'],
      rows: [drainRow('started before SIGTERM', drain.beforeSigterm), drainRow('started after SIGTERM', drain.afterSigterm)],
    },
  ];
  if (problems.length > 0) blocks.push({ text: ['first problems seen:', ...problems.slice(0, 20).map((p) => `  ${p}`)] });
  return { title: 'Gateway reliability', blocks };
}
