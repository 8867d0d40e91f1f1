/**
 * The Pothos schema builder, its plugins and scalars. Type definitions live in schema/, one
 * domain per file.
 */
import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import { JSONResolver } from 'graphql-scalars';
import type { GatewayContext } from './context.ts';

export interface GatewaySchemaTypes {
  Context: GatewayContext;
  // Fields are non-null unless they say otherwise: nullability is part of the contract.
  DefaultFieldNullability: false;
  Scalars: {
    JSON: { Input: unknown; Output: unknown };
  };
}

export const builder = new SchemaBuilder<GatewaySchemaTypes>({
  plugins: [ErrorsPlugin],
  defaultFieldNullability: false,
  // Each field names its own error types; none are added implicitly.
  errors: { defaultTypes: [] },
});

builder.addScalarType('JSON', JSONResolver);
