/** Imports every schema domain, then builds the schema; `gatewaySchema` adds a configuration's typed fields. */
import { rewireTypes } from '@graphql-tools/utils';
import { type GraphQLNamedType, GraphQLObjectType, GraphQLSchema, lexicographicSortSchema } from 'graphql';
import { builder } from '../builder.ts';
import type { ResolvedTypedFields } from '../typed-fields/declarations.ts';
import { buildTypedFieldsSchema } from '../typed-fields/typed-fields-schema.ts';
import './errors.ts';
import './invocation.ts';
import { subscribeStreamsEagerly } from './invocation-stream.ts';
import './gateway-info.ts';
import './async.ts';
import './activity.ts';
import './catalog.ts';

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

/** Sorted, so the printed `schema.graphql` is stable. */
export const schema = lexicographicSortSchema(builtSchema());

function builtSchema(): GraphQLSchema {
  const built = builder.toSchema();
  subscribeStreamsEagerly(built);
  return built;
}

/**
 * What a configuration serves: the built-in schema, and beside it the typed fields it declares,
 * built by their own builder (so that configurations never share types). Throws a
 * GatewayConfigError for a declaration that cannot be built.
 *
 * The merge is by type name: the typed schema's own copies of the scalars are dropped for the
 * built-in ones, its Query and Mutation fields join the built-in roots, and graphql-tools'
 * `rewireTypes` points every reference at the one type of its name. Each field config is kept as
 * built — resolver, extensions (the complexity plugin's cost), defaults — which `mergeSchemas`
 * (an SDL round trip) does not do for graphql 17's argument defaults.
 */
export function gatewaySchema(typedFields: ResolvedTypedFields): GraphQLSchema {
  const builtIn = schema.getTypeMap();
  const typed = buildTypedFieldsSchema(typedFields, new Set(Object.keys(builtIn)), (typeName) => {
    const own = builtIn[typeName];
    return new Set(own instanceof GraphQLObjectType ? Object.keys(own.getFields()) : []);
  });
  if (typed === undefined) return schema;
  const types: Record<string, GraphQLNamedType> = { ...builtIn };
  for (const [name, type] of Object.entries(typed.getTypeMap())) {
    const own = builtIn[name];
    if (own === undefined) types[name] = type;
    else if ((name === 'Query' || name === 'Mutation') && own instanceof GraphQLObjectType && type instanceof GraphQLObjectType) {
      const config = own.toConfig();
      types[name] = new GraphQLObjectType({ ...config, fields: { ...config.fields, ...type.toConfig().fields } });
    }
  }
  const { typeMap, directives } = rewireTypes(types, schema.getDirectives());
  const root = (name: string) => {
    const type = typeMap[name];
    return type instanceof GraphQLObjectType ? type : undefined;
  };
  return lexicographicSortSchema(
    new GraphQLSchema({
      ...schema.toConfig(),
      query: root('Query'),
      mutation: root('Mutation'),
      subscription: root('Subscription'),
      types: Object.values(typeMap),
      directives,
    }),
  );
}
