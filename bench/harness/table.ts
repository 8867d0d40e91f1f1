/**
 * The one text renderer of the benchmarks' reports: tables (first column left-aligned, the others
 * right-aligned, so figures line up) and blocks of text, separated by blank lines; and the number
 * formats their cells use.
 */

export const KB = 1024;
export const MB = 1024 * 1024;

/** A table and the lines printed right under it (what a figure means, how it was taken). */
export interface Table {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly notes?: readonly string[];
}

/** Lines of text, printed as they are. */
export interface Text {
  readonly text: readonly string[];
}

export type Block = Table | Text;

/** NaN (nothing was measured) shows as a dash. */
const dashForNaN = (value: number, format: (value: number) => string): string => (Number.isNaN(value) ? '–' : format(value));

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
export const integer = (value: number): string => dashForNaN(value, (n) => integerFormat.format(n));
export const fixed = (value: number, digits: number): string =>
  dashForNaN(value, (n) => new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n));
export const megabytes = (bytes: number): string => `${fixed(bytes / MB, 1)} MB`;
/** `text` with a `+` in front when `value` is not negative (a negative figure brings its own `-`). */
export const signed = (text: string, value: number): string => (value >= 0 ? `+${text}` : text);
export const verdict = (met: boolean | undefined): string => (met === undefined ? '–' : met ? 'PASS' : 'FAIL');

export function renderTable({ header, rows, notes = [] }: Table): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line), ...notes].join('\n');
}

export function renderBlocks(blocks: readonly Block[]): string {
  return blocks.map((block) => ('text' in block ? block.text.join('\n') : renderTable(block))).join('\n\n');
}
