/** Shared by the invokeFunction tests of both tiers: narrowing a result to one member of its union. */
import { expect } from 'vitest';
import type { InvokeResultFieldsFragment } from '../../generated/graphql/graphql.ts';

/** Narrows a union member by its typename, failing the test otherwise. */
export function as<T extends InvokeResultFieldsFragment['__typename']>(
  outcome: InvokeResultFieldsFragment,
  typename: T,
): Extract<InvokeResultFieldsFragment, { __typename: T }> {
  expect(outcome.__typename).toBe(typename);
  return outcome as Extract<InvokeResultFieldsFragment, { __typename: T }>;
}
