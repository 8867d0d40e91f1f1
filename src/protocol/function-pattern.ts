/**
 * Function and qualifier patterns, as access rules and per-function deadlines write them. One
 * spelling for both, so that a rule's `report-*` means the same thing wherever it appears.
 */

/** A name pattern (`*` matches any run of characters) as an anchored expression. */
export function glob(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*');
  return new RegExp(`^${escaped}$`);
}
