/**
 * The pure parts of the benchmark harness (`bench/harness/`): the declared option table and its
 * --help text, the one table renderer, target checks and the verdict line. No processes, no ports.
 */
import { describe, expect, it } from 'vitest';
import { count, flag, list, parseOptions, text, usage } from '../../bench/harness/options.ts';
import { renderReport, verdictLine } from '../../bench/harness/report.ts';
import { fixed, integer, renderBlocks, renderTable } from '../../bench/harness/table.ts';
import { allMet, checkTarget, targetRows } from '../../bench/harness/targets.ts';
import type { Machine } from '../../bench/harness/machine.ts';

const TABLE = {
  memoryN: count('invocations between the readings', { default: 50_000, quick: 2000, min: 1 }),
  sleepMs: count('how long to sleep', { default: 20, placeholder: '<ms>' }),
  backends: list('which backends', ['memory', 'redis'] as const),
  verbose: flag('say more'),
  dir: text('where', '<dir>'),
  quick: flag('quick sizes'),
};

const values = (argv: readonly string[]) => {
  const parsed = parseOptions(TABLE, argv);
  if (parsed.kind !== 'options') throw new Error(`expected options, got ${JSON.stringify(parsed)}`);
  return parsed.values;
};

describe('parseOptions', () => {
  it('gives every declared option its full-size default, under kebab-case flags', () => {
    expect(values([])).toEqual({
      memoryN: 50_000,
      sleepMs: 20,
      backends: ['memory', 'redis'],
      verbose: false,
      dir: undefined,
      quick: false,
    });
    expect(values(['--memory-n', '7', '--sleep-ms', '0', '--verbose', '--dir', 'x'])).toMatchObject({
      memoryN: 7,
      sleepMs: 0,
      verbose: true,
      dir: 'x',
    });
  });

  it('takes the quick defaults with --quick, but a count given explicitly wins', () => {
    expect(values(['--quick'])).toMatchObject({ quick: true, memoryN: 2000, sleepMs: 20 });
    expect(values(['--quick', '--memory-n', '50_000'])).toMatchObject({ memoryN: 50_000 });
  });

  it('keeps a list in the order of its declared values, whatever order it was given in', () => {
    expect(values(['--backends', 'redis,memory']).backends).toEqual(['memory', 'redis']);
    expect(values(['--backends', ' redis ']).backends).toEqual(['redis']);
  });

  it('answers --help and -h', () => {
    expect(parseOptions(TABLE, ['--help'])).toEqual({ kind: 'help' });
    expect(parseOptions(TABLE, ['-h'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['--memory-n', '0'], "--memory-n must be an integer ≥ 1, got '0'"],
    [['--memory-n', '1e3'], "--memory-n must be an integer ≥ 1, got '1e3'"],
    [['--sleep-ms', ''], "--sleep-ms must be an integer ≥ 0, got ''"],
    [['--backends', 'memory,disk'], '--backends takes memory, redis or a comma-separated list of them (got "disk")'],
  ])('refuses %j with a message naming the flag', (argv, message) => {
    expect(parseOptions(TABLE, argv)).toEqual({ kind: 'error', message });
  });

  it('refuses unknown flags and positionals as usage errors, without throwing', () => {
    expect(parseOptions(TABLE, ['--nope'])).toMatchObject({ kind: 'error', message: expect.stringContaining("'--nope'") as unknown });
    expect(parseOptions(TABLE, ['stray'])).toMatchObject({ kind: 'error' });
  });
});

describe('usage', () => {
  it('lists the options in table order with their defaults, then --help and the notes', () => {
    expect(usage('npm run bench:x', TABLE, ['A note.'])).toBe(
      [
        'Usage: npm run bench:x -- [options]',
        '',
        'Options:',
        '  --memory-n <count>  invocations between the readings (default 50000; quick 2000)',
        '  --sleep-ms <ms>     how long to sleep (default 20)',
        '  --backends <list>   which backends (default memory,redis)',
        '  --verbose           say more',
        '  --dir <dir>         where',
        '  --quick             quick sizes',
        '  --help              this text',
        '',
        'A note.',
      ].join('\n'),
    );
  });
});

describe('renderTable', () => {
  it('left-aligns the first column, right-aligns the others, and prints the notes under it', () => {
    expect(
      renderTable({
        header: ['phase', 'inv/s'],
        rows: [
          ['sequential', '1,140'],
          ['16 in flight', '2,403'],
        ],
        notes: ['(a note)'],
      }),
    ).toBe(['phase         inv/s', '------------  -----', 'sequential    1,140', '16 in flight  2,403', '(a note)'].join('\n'));
  });

  it('separates blocks with one blank line; text blocks are printed as they are', () => {
    expect(renderBlocks([{ text: ['title'] }, { header: ['a'], rows: [['b']] }])).toBe('title\n\na\n-\nb');
  });

  it('formats numbers in en-US, and NaN (nothing measured) as a dash', () => {
    expect(integer(12_345.6)).toBe('12,346');
    expect(fixed(0.5, 3)).toBe('0.500');
    expect(fixed(Number.NaN, 2)).toBe('–');
  });
});

describe('targets', () => {
  it.each([
    ['≥', 1000, 1000, true],
    ['≥', 999, 1000, false],
    ['≤', 0.5, 0.5, true],
    ['≤', 0.51, 0.5, false],
    ['<', 9.99, 10, true],
    ['<', 10, 10, false],
    ['>', 1, 0, true],
    ['=', 0, 0, true],
    ['=', 1, 0, false],
  ] as const)('%s: %d against %d is met: %s', (comparison, value, target, met) => {
    expect(checkTarget({ name: 't', value, comparison, target }).met).toBe(met);
  });

  it('compares booleans with =', () => {
    expect(checkTarget({ name: 'intact', value: true, comparison: '=', target: true }).met).toBe(true);
    expect(checkTarget({ name: 'intact', value: false, comparison: '=', target: true }).met).toBe(false);
  });

  it('is met by its alternative ("< 10 % or < 5 MB")', () => {
    const flat = (percent: number, bytes: number) =>
      checkTarget({ name: 'flat', value: percent, comparison: '<', target: 10, or: { value: bytes, comparison: '<', target: 5_000_000 } })
        .met;
    expect(flat(3, 9_000_000)).toBe(true);
    expect(flat(30, 1_000_000)).toBe(true);
    expect(flat(30, 9_000_000)).toBe(false);
  });

  it('is neither met nor missed when not measured, and does not fail the run', () => {
    const skipped = checkTarget({ name: 'feed lost', value: undefined, comparison: '=', target: 0 });
    expect(skipped.met).toBeUndefined();
    expect(allMet([skipped])).toBe(true);
  });

  it('fails the run only through targets that count', () => {
    const missed = checkTarget({ name: 'released', value: false, comparison: '=', target: true, counts: false });
    expect(allMet([missed])).toBe(true);
    expect(allMet([missed, checkTarget({ name: 'lost', value: 1, comparison: '=', target: 0 })])).toBe(false);
  });

  it('prints each target as measured, wanted, result', () => {
    expect(
      targetRows([
        { name: 'inv/s', value: 1140, comparison: '≥', target: 1000, format: integer },
        { name: 'flat', value: 0.3, comparison: '<', target: 10, format: (v) => `${v}%`, or: { value: 1, comparison: '<', target: 5 } },
        { name: 'intact', value: true, comparison: '=', target: true },
        { name: 'released', value: false, comparison: '=', target: true, counts: false },
        { name: 'feed', value: undefined, comparison: '=', target: 0 },
      ]),
    ).toEqual([
      ['inv/s', '1,140', '≥ 1,000', 'PASS'],
      ['flat', '0.3%, 1', '< 10% or < 5', 'PASS'],
      ['intact', 'yes', '= yes', 'PASS'],
      ['released', 'no', '= yes', 'FAIL (not counted)'],
      ['feed', '–', '= 0', '–'],
    ]);
  });

  it('says which targets were missed, those not counted apart', () => {
    const targets = [
      checkTarget({ name: 'a', value: 1, comparison: '=', target: 1 }),
      checkTarget({ name: 'b', value: 2, comparison: '=', target: 1 }),
      checkTarget({ name: 'c', value: false, comparison: '=', target: true, counts: false }),
    ];
    expect(verdictLine(targets.slice(0, 1))).toBe('all targets met');
    expect(verdictLine(targets)).toBe('targets MISSED: b; missed, not counted in the exit status: c');
  });
});

describe('renderReport', () => {
  const machine: Machine = {
    node: 'v24.0.0',
    platform: 'linux',
    arch: 'x64',
    cpus: 2,
    cpuModel: 'CPU',
    totalMemoryMb: 1024,
    loadAverage: [1, 0.5, 0.25],
  };

  it('prints the title, the machine line, the blocks and the targets table', () => {
    const report = renderReport({ title: 'Bench', blocks: [{ text: ['body'] }] }, machine, [
      { name: 'lost', value: 0, comparison: '=', target: 0 },
    ]);
    expect(report).toBe(
      [
        'Bench',
        'node v24.0.0, linux/x64, 2 × CPU, load average at start 1 0.5 0.25',
        '',
        'body',
        '',
        'target  measured  wanted  result',
        '------  --------  ------  ------',
        'lost           0     = 0    PASS',
      ].join('\n'),
    );
  });
});
