/**
 * The function catalog: `Query.functions` and `Query.function`, with each function's versions and
 * aliases read only when selected. The caller's catalog (context.catalog) decides what is listed:
 * only what the access rules let the caller invoke.
 */
import { builder } from '../builder.ts';
import type { CatalogAlias, CatalogFunction, CatalogVersion } from '../catalog/function-catalog.ts';

const RoutingWeightRef = builder.objectRef<CatalogAlias['routingWeights'][number]>('AliasRoutingWeight').implement({
  description: 'A version besides the alias’s own that takes a share of its invocations (RoutingConfig.AdditionalVersionWeights).',
  fields: (t) => ({
    version: t.exposeString('version'),
    weight: t.exposeFloat('weight', { description: 'The share of invocations, from 0 to 1.' }),
  }),
});

const FunctionVersionRef = builder.objectRef<CatalogVersion>('LambdaFunctionVersion').implement({
  description: 'A published version of a function, or `$LATEST`.',
  fields: (t) => ({
    version: t.exposeString('version', { description: '`$LATEST`, or the version number (`1`, `2` …).' }),
    description: t.exposeString('description', { description: 'Empty when it has none.' }),
  }),
});

const FunctionAliasRef = builder.objectRef<CatalogAlias>('LambdaFunctionAlias').implement({
  description: 'A name for a version of a function, usable as the qualifier of an invocation.',
  fields: (t) => ({
    name: t.exposeString('name'),
    functionVersion: t.exposeString('functionVersion', { description: 'The version the alias points to.' }),
    description: t.exposeString('description', { description: 'Empty when it has none.' }),
    routingWeights: t.field({
      type: [RoutingWeightRef],
      description: 'Other versions taking a share of the alias’s traffic; empty when all of it goes to `functionVersion`.',
      resolve: (alias) => alias.routingWeights,
    }),
  }),
});

const LambdaFunctionRef = builder.objectRef<CatalogFunction>('LambdaFunction').implement({
  description: 'A function the caller may invoke, as Lambda describes its `$LATEST`.',
  fields: (t) => ({
    name: t.exposeString('name'),
    arn: t.exposeString('arn'),
    description: t.exposeString('description', { description: 'Empty when it has none.' }),
    runtime: t.exposeString('runtime', { nullable: true, description: 'Null for a container image.' }),
    handler: t.exposeString('handler', { nullable: true, description: 'Null for a container image.' }),
    memorySizeMb: t.exposeInt('memorySizeMb', { nullable: true }),
    timeoutSeconds: t.exposeInt('timeoutSeconds', { nullable: true }),
    lastModified: t.exposeString('lastModified', { nullable: true, description: 'ISO 8601, as Lambda reports it.' }),
    versions: t.field({
      type: [FunctionVersionRef],
      description: 'The versions the caller may invoke, `$LATEST` among them when allowed.',
      resolve: (fn, _args, context) => context.catalog.versions(fn.name),
    }),
    aliases: t.field({
      type: [FunctionAliasRef],
      description: 'The aliases the caller may invoke.',
      resolve: (fn, _args, context) => context.catalog.aliases(fn.name),
    }),
  }),
});

builder.queryFields((t) => ({
  functions: t.field({
    type: [LambdaFunctionRef],
    description:
      'The functions the caller may invoke (with some qualifier), as Lambda lists them; cached briefly per gateway (`catalog.cacheTtlMs`).',
    resolve: (_root, _args, context) => context.catalog.functions(),
  }),
  function: t.field({
    type: LambdaFunctionRef,
    nullable: true,
    description: 'One function by its own name (not an ARN); null when Lambda does not know it or the caller may not invoke it.',
    args: { name: t.arg.string({ required: true }) },
    resolve: (_root, { name }, context) => context.catalog.function(name),
  }),
}));
