/** `paginate`: MaxItems / Marker → NextMarker paging of the catalog's lists, and its errors. */
import { describe, expect, it } from 'vitest';
import { type Page, paginate } from '../../src/local-lambda/pagination.ts';
import { LambdaWireError } from '../../src/local-lambda/wire-errors.ts';

const items = Array.from({ length: 120 }, (_, i) => `item-${i}`);
const key = (item: string): string => item;

function walk(maxItems: string | null, limit?: number): string[][] {
  const pages: string[][] = [];
  let marker: string | null = null;
  do {
    const page: Page<string> = paginate(items, key, { maxItems, marker }, limit);
    pages.push(page.items);
    marker = page.nextMarker ?? null;
  } while (marker !== null);
  return pages;
}

function wireError(run: () => unknown): LambdaWireError {
  try {
    run();
  } catch (error) {
    if (error instanceof LambdaWireError) return error;
    throw error;
  }
  throw new Error('expected a LambdaWireError');
}

describe('paginate', () => {
  it('pages by MaxItems, every item once, no NextMarker on the last page', () => {
    const pages = walk('7');
    expect(pages.flat()).toStrictEqual(items);
    expect(pages.slice(0, -1).every((p) => p.length === 7)).toBe(true);
    expect(pages.at(-1)).toHaveLength(120 % 7);
  });

  it('pages by 50 without MaxItems, and never more than the limit', () => {
    expect(walk(null).map((p) => p.length)).toStrictEqual([50, 50, 20]);
    expect(walk('10000').map((p) => p.length)).toStrictEqual([50, 50, 20]);
    expect(walk('100', Number.POSITIVE_INFINITY).map((p) => p.length)).toStrictEqual([100, 20]);
  });

  it('answers an empty list with one empty page', () => {
    expect(paginate([], key, { maxItems: null, marker: null })).toStrictEqual({ items: [], nextMarker: undefined });
  });

  it('treats an empty Marker as none', () => {
    expect(paginate(items, key, { maxItems: '2', marker: '' }).items).toStrictEqual(['item-0', 'item-1']);
  });

  it.each([
    [
      '0',
      'ValidationException',
      "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ],
    [
      '10001',
      'ValidationException',
      "1 validation error detected: Value '10001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 10000",
    ],
    ['ten', 'InvalidParameterValueException', "Invalid value for MaxItems: 'ten' is not an integer."],
    ['1.5', 'InvalidParameterValueException', "Invalid value for MaxItems: '1.5' is not an integer."],
  ])('refuses MaxItems %s', (maxItems, name, message) => {
    const error = wireError(() => paginate(items, key, { maxItems, marker: null }));
    expect(error.name).toBe(name);
    expect(error.message).toBe(message);
  });

  it.each(['%%%', 'bm9wZQ', ''.padEnd(8, 'x')])('refuses the marker %s, which it did not hand out', (marker) => {
    const error = wireError(() => paginate(items, key, { maxItems: null, marker }));
    expect(error.name).toBe('InvalidParameterValueException');
    expect(error.status).toBe(400);
    expect(error.message).toBe(
      `Invalid Marker '${marker}': not a NextMarker this endpoint returned for this list. Leave Marker out to start from the first page.`,
    );
  });
});
