/**
 * A benchmark's targets, declared as data: a name, the measured value, a comparison and the value
 * wanted. The harness checks them, prints them as one table and sets the exit status from them, so
 * no benchmark computes or prints a verdict of its own.
 */
import { verdict } from './table.ts';

export type Comparison = '≥' | '≤' | '<' | '>' | '=';

export interface Condition {
  /** undefined: not measured in this run (a skipped phase); the target is then neither met nor missed. */
  readonly value: number | boolean | undefined;
  readonly comparison: Comparison;
  readonly target: number | boolean;
  /** How the value and the target are printed; `String` when absent. */
  readonly format?: (value: number) => string;
}

export interface Target extends Condition {
  readonly name: string;
  /** Met as well when this holds ("flat: < 10 % or < 5 MB"). */
  readonly or?: Condition;
  /** false: reported, but not part of the exit status (a known limitation being watched). */
  readonly counts?: boolean;
}

export interface CheckedTarget {
  readonly name: string;
  readonly value: number | boolean | undefined;
  readonly comparison: Comparison;
  readonly target: number | boolean;
  readonly or?: { readonly value: number | boolean | undefined; readonly comparison: Comparison; readonly target: number | boolean };
  readonly counts: boolean;
  /** undefined when not measured. */
  readonly met: boolean | undefined;
}

function holds({ value, comparison, target }: Condition): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'boolean' || typeof target === 'boolean') return comparison === '=' ? value === target : false;
  switch (comparison) {
    case '≥':
      return value >= target;
    case '≤':
      return value <= target;
    case '<':
      return value < target;
    case '>':
      return value > target;
    case '=':
      return value === target;
  }
}

const plain = ({ value, comparison, target }: Condition) => ({ value, comparison, target });

export function checkTarget(target: Target): CheckedTarget {
  const main = holds(target);
  const alternative = target.or === undefined ? undefined : holds(target.or);
  const met = main === undefined ? undefined : main || alternative === true;
  return {
    name: target.name,
    ...plain(target),
    ...(target.or === undefined ? {} : { or: plain(target.or) }),
    counts: target.counts ?? true,
    met,
  };
}

/** Every counted target met (or not measured). */
export const allMet = (targets: readonly CheckedTarget[]): boolean => targets.every((target) => !target.counts || target.met !== false);

const show = (value: number | boolean | undefined, format: ((value: number) => string) | undefined): string => {
  if (value === undefined) return '–';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return (format ?? String)(value);
};

const wanted = (condition: Condition): string => `${condition.comparison} ${show(condition.target, condition.format)}`;

/** The rows of the targets table: name, measured, wanted, result. */
export function targetRows(targets: readonly Target[]): string[][] {
  return targets.map((target) => {
    const checked = checkTarget(target);
    const measured =
      target.or === undefined
        ? show(target.value, target.format)
        : `${show(target.value, target.format)}, ${show(target.or.value, target.or.format)}`;
    const result = verdict(checked.met);
    return [
      target.name,
      measured,
      target.or === undefined ? wanted(target) : `${wanted(target)} or ${wanted(target.or)}`,
      checked.counts || checked.met !== false ? result : `${result} (not counted)`,
    ];
  });
}
