/** The request errors both tiers send: the unit tier reads the HTTP answers, the integration tier graphql-sse's. */

export interface GraphQLBody {
  data?: unknown;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

export interface RequestCase {
  readonly name: string;
  readonly body: { query: string; variables?: Record<string, unknown>; operationName?: string };
  readonly code: string;
}

export const FOLLOW = 'query Follow($requestId: ID!) { invocation(requestId: $requestId) { status } }';
export const CASES: readonly RequestCase[] = [
  {
    name: 'a variable value that cannot be coerced',
    body: { query: FOLLOW, variables: { requestId: { not: 'an id' } } },
    code: 'BAD_USER_INPUT',
  },
  { name: 'a null for a non-null variable', body: { query: FOLLOW, variables: { requestId: null } }, code: 'BAD_USER_INPUT' },
  { name: 'a missing non-null variable', body: { query: FOLLOW, variables: {} }, code: 'BAD_USER_INPUT' },
  {
    name: 'several operations and no operationName',
    body: { query: 'query A { gateway { region } } query B { gateway { region } }' },
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  {
    name: 'an unknown operationName',
    body: { query: 'query A { gateway { region } }', operationName: 'B' },
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  {
    name: 'a subscription with a null for a non-null variable',
    body: {
      query: 'subscription Updates($requestId: ID!) { invocationUpdates(requestId: $requestId) { status } }',
      variables: { requestId: null },
    },
    code: 'BAD_USER_INPUT',
  },
];
