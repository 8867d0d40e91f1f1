/**
 * Reliability of the gateway under load, against one local Lambda (`setup.ts`):
 *
 *   1. Mixed load (`mixed-load.ts`): `--requests` (default 20,000) queries, `echo` invocations and
 *      idempotent replays at `--concurrency` in flight (default 64). Targets: every request answered
 *      exactly once, no 5xx, every echoed id the one sent, the local Lambda ran `echo` exactly as
 *      many times as the gateway answered non-replayed `echo` invocations, and every replay answered
 *      `replayed: true` with the first answer's requestId.
 *   2. SIGTERM during load (`drain.ts`): `--drain-requests` (default 500) `sleep` {ms: 200}
 *      invocations against a fresh gateway, SIGTERMed once half of them have been started. Targets:
 *      every request started before SIGTERM got a complete answer (200 with its result, or a clean
 *      503 refusal), none cut (socket reset / hang-up); requests after it are 503s or refused
 *      connections; the gateway closed and exited 0.
 *
 * Three processes: the local Lambda (counting executions through `logSink` and Invoke requests on
 * its HTTP server), the gateway and the client, this one. Only 127.0.0.1 is ever contacted.
 *
 *   npm run bench:reliability                  full size
 *   npm run bench:reliability -- --quick       quick run
 *   npm run bench:reliability -- --help        every option
 */
import { exitWith } from '../harness/exit.ts';
import { benchmarkMain, defineBenchmark } from '../harness/run.ts';
import { integer } from '../harness/table.ts';
import { drainPhase } from './drain.ts';
import { mixedPhase } from './mixed-load.ts';
import { reliabilityReport } from './report.ts';
import { OPTIONS, setup } from './setup.ts';

export const benchmark = defineBenchmark({
  name: 'reliability',
  exitStatus: 'check',
  options: OPTIONS,
  setup,
  phases: {
    mixed: { progress: (o) => `mixed load: ${o.requests} requests at ${o.concurrency} in flight…`, run: mixedPhase },
    drain: { progress: (o) => `SIGTERM during load: ${o.drainRequests} × sleep {ms: ${o.sleepMs}}…`, run: drainPhase },
  },

  targets: ({ mixed, drain }) => {
    const k = mixed.byKind;
    const echoSent = k.echo + k.replayFirst;
    const before = drain.beforeSigterm;
    return [
      {
        name: 'mixed: requests answered exactly once',
        value: mixed.answeredOnce,
        comparison: '=',
        target: mixed.requests,
        format: integer,
      },
      { name: 'mixed: 5xx answers', value: mixed.fiveXx, comparison: '=', target: 0, format: integer },
      {
        name: 'mixed: echo answers with the id sent (unique + first keyed uses)',
        value: mixed.echoCorrect,
        comparison: '=',
        target: echoSent,
        format: integer,
      },
      { name: 'mixed: queries answered with a region', value: mixed.queriesCorrect, comparison: '=', target: k.query, format: integer },
      {
        name: 'mixed: echo executions = non-replayed echo answered',
        value: mixed.echoExecutions,
        comparison: '=',
        target: mixed.echoAsked,
        format: integer,
      },
      { name: 'mixed: non-replayed echo answered ≤ echo sent', value: mixed.echoAsked, comparison: '≤', target: echoSent, format: integer },
      {
        name: 'mixed: replays with replayed=true, the first requestId, the same id',
        value: mixed.replaysCorrect,
        comparison: '=',
        target: k.replay,
        format: integer,
      },
      {
        name: 'drain: started before SIGTERM, answered 200 + result or 503',
        value: before.completed + before.refused503,
        comparison: '=',
        target: before.started,
        format: integer,
      },
      { name: 'drain: started before SIGTERM, cut', value: before.cut, comparison: '=', target: 0, format: integer },
      {
        name: 'drain: started after SIGTERM, unexpected answers (not 200 + result, 503, refused or cut)',
        value: drain.afterSigterm.other,
        comparison: '=',
        target: 0,
        format: integer,
      },
      {
        name: 'drain: gateway closed and exited 0',
        value: drain.exitCode === 0 && drain.closeMs !== undefined && drain.closeError === undefined,
        comparison: '=',
        target: true,
      },
    ];
  },

  report: reliabilityReport,
});

export const main = benchmarkMain(benchmark);

if (import.meta.main) exitWith(await main(process.argv.slice(2)));
