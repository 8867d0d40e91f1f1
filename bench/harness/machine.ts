/** What the benchmark ran on, recorded with the results and printed under each report's title. */
import os from 'node:os';

export interface Machine {
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly totalMemoryMb: number;
  /** 1-, 5- and 15-minute load averages when the run started: other work on the machine skews the figures. */
  readonly loadAverage: readonly number[];
}

/** The 1-, 5- and 15-minute load averages now, to two decimals. */
export const loadAverage = (): number[] => os.loadavg().map((load) => Math.round(load * 100) / 100);

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: os.availableParallelism(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown CPU',
    totalMemoryMb: Math.round(os.totalmem() / (1024 * 1024)),
    loadAverage: loadAverage(),
  };
}

/** The report line under the title. */
export const machineLine = (machine: Machine): string =>
  `node ${machine.node}, ${machine.platform}/${machine.arch}, ${machine.cpus} × ${machine.cpuModel}, load average at start ${machine.loadAverage.join(' ')}`;
