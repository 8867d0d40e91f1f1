/**
 * The Pothos schema builder, its plugins and scalars. Type definitions live in schema/, one
 * domain per file.
 */
import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import ErrorsPlugin from '@pothos/plugin-errors';
import { JSONResolver } from 'graphql-scalars';
import type { GatewayContext } from './context.ts';
import { limitExceeded } from './errors.ts';

export interface GatewaySchemaTypes {
  Context: GatewayContext;
  // Fields are non-null unless they say otherwise: nullability is part of the contract.
  DefaultFieldNullability: false;
  Scalars: {
    JSON: { Input: unknown; Output: unknown };
  };
}

/**
 * A builder with the gateway's plugins, options and scalars. The built-in schema has one (`builder`);
 * the typed fields of a configuration get another, built per configuration and merged beside it
 * (schema/index.ts), so that two configurations in one process never share types.
 */
export function createSchemaBuilder() {
  const created = new SchemaBuilder<GatewaySchemaTypes>({
    plugins: [ErrorsPlugin, ComplexityPlugin],
    defaultFieldNullability: false,
    // Each field names its own error types; none are added implicitly.
    errors: { defaultTypes: [] },
    // The cost of an operation is known from its shape, arguments and variables alone, and is checked
    // before any root field resolves: a refused operation makes no call to Lambda. Every field costs
    // 1; an invocation costs `limits.invocationCost` (schema/invocation.ts). Depth and size have
    // their own limits at validation (plugins/use-operation-limits.ts), so only the cost is set here.
    complexity: {
      defaultComplexity: 1,
      limit: (context) => ({ complexity: context.limits.maxCost }),
      complexityError: (_kind, { complexity, maxComplexity = 0 }) =>
        limitExceeded('MAX_COST_EXCEEDED', 'The query cost', { name: 'limits.maxCost', value: maxComplexity, actual: complexity }),
    },
  });
  created.addScalarType('JSON', JSONResolver);
  return created;
}

export type GatewaySchemaBuilder = ReturnType<typeof createSchemaBuilder>;

export const builder = createSchemaBuilder();
