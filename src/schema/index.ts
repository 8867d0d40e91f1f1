/** Imports every schema domain, then builds the schema. */
import { lexicographicSortSchema } from 'graphql';
import { builder } from '../builder.ts';
import './errors.ts';
import './invocation.ts';
import './gateway-info.ts';
import './async.ts';
import './activity.ts';
import './catalog.ts';

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

/** Sorted, so the printed `schema.graphql` is stable. */
export const schema = lexicographicSortSchema(builder.toSchema());
