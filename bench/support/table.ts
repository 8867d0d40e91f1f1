/** The text tables the benchmarks print, and the number formats in their cells. */

export const KB = 1024;
export const MB = 1024 * 1024;

export const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
export const fixed = (value: number, digits: number): string =>
  new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
export const megabytes = (bytes: number): string => `${fixed(bytes / MB, 1)} MB`;
export const signed = (text: string, value: number): string => (value >= 0 ? `+${text}` : text);

/** Left-aligns the first column, right-aligns the others. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
