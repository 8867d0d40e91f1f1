/**
 * `MaxItems` / `Marker` → `NextMarker` paging of Lambda's list operations.
 *
 * A marker is opaque to clients (they only echo it back); ours is the key of the first item of the
 * next page, base64url-encoded, so a page starts at the same item however the ones before it are
 * counted. `NextMarker` is absent on the last page: that is how every SDK's paginator stops.
 */
import { LambdaWireError } from './wire-errors.ts';

/** The model's `MaxListItems` range. */
export const MAX_ITEMS_RANGE = { min: 1, max: 10_000 } as const;

/** What ListFunctions and ListVersionsByFunction return at most per call, whatever `MaxItems` says (AWS documents 50). */
export const PAGE_LIMIT = 50;

export interface PageRequest {
  /** `MaxItems` as sent, if it was. */
  readonly maxItems: string | null;
  /** `Marker` as sent, if it was. */
  readonly marker: string | null;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextMarker: string | undefined;
}

/**
 * One page of `items`, each identified by `key`. `limit` caps the page below `MaxItems` (the
 * default page size too). An out-of-range `MaxItems` is the model's constraint violation
 * (ValidationException, in the wording Lambda uses for every member); a value that is no integer,
 * or a marker this endpoint did not hand out, is an InvalidParameterValueException.
 */
export function paginate<T>(items: readonly T[], key: (item: T) => string, request: PageRequest, limit: number = PAGE_LIMIT): Page<T> {
  const size = Math.min(parseMaxItems(request.maxItems) ?? limit, limit);
  let start = 0;
  if (request.marker !== null && request.marker !== '') {
    const wanted = decodeMarker(request.marker);
    start = wanted === undefined ? -1 : items.findIndex((item) => key(item) === wanted);
    if (start < 0) {
      throw new LambdaWireError(
        'InvalidParameterValueException',
        `Invalid Marker '${request.marker}': not a NextMarker this endpoint returned for this list. Leave Marker out to start from the first page.`,
      );
    }
  }
  const end = start + size;
  const next = items[end];
  return { items: items.slice(start, end), nextMarker: next === undefined ? undefined : encodeMarker(key(next)) };
}

function parseMaxItems(value: string | null): number | undefined {
  if (value === null) return undefined;
  if (!/^-?\d+$/.test(value)) {
    throw new LambdaWireError('InvalidParameterValueException', `Invalid value for MaxItems: '${value}' is not an integer.`);
  }
  const n = Number(value);
  const bound =
    n < MAX_ITEMS_RANGE.min
      ? `greater than or equal to ${MAX_ITEMS_RANGE.min}`
      : n > MAX_ITEMS_RANGE.max
        ? `less than or equal to ${MAX_ITEMS_RANGE.max}`
        : undefined;
  if (bound !== undefined) {
    throw new LambdaWireError(
      'ValidationException',
      `1 validation error detected: Value '${value}' at 'maxItems' failed to satisfy constraint: Member must have value ${bound}`,
    );
  }
  return n;
}

function encodeMarker(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

function decodeMarker(marker: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(marker)) return undefined;
  return Buffer.from(marker, 'base64url').toString('utf8');
}
