/**
 * The printed report of a run: the title, the machine line, the benchmark's own blocks (its
 * measurements), the targets table, and the closing verdict line. Pure: the harness prints it.
 */
import { type Machine, machineLine } from './machine.ts';
import { type Block, renderBlocks } from './table.ts';
import { type CheckedTarget, type Target, targetRows } from './targets.ts';

export interface Report {
  readonly title: string;
  readonly blocks: readonly Block[];
}

export function renderReport(report: Report, machine: Machine, targets: readonly Target[]): string {
  const blocks: Block[] = [{ text: [report.title, machineLine(machine)] }, ...report.blocks];
  if (targets.length > 0) blocks.push({ header: ['target', 'measured', 'wanted', 'result'], rows: targetRows(targets) });
  return renderBlocks(blocks);
}

/** "all targets met", or which were missed — those not counted in the exit status said apart. */
export function verdictLine(targets: readonly CheckedTarget[]): string {
  const missed = (counted: boolean): string[] =>
    targets.filter((target) => target.counts === counted && target.met === false).map((target) => target.name);
  const counted = missed(true);
  const reported = missed(false);
  return [
    counted.length === 0 ? 'all targets met' : `targets MISSED: ${counted.join('; ')}`,
    ...(reported.length === 0 ? [] : [`missed, not counted in the exit status: ${reported.join('; ')}`]),
  ].join('; ');
}
