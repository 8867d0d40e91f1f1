/** `Query.gateway`: what this gateway is connected to and the limits it applies. */
import { builder } from '../builder.ts';
import type { GatewayInfo } from '../context.ts';

const LambdaTargetKindEnum = builder.enumType('LambdaTargetKind', {
  values: {
    LOCAL: { value: 'local', description: 'The built-in local Lambda, in the gateway’s process.' },
    AWS: { value: 'aws', description: 'AWS Lambda.' },
    ENDPOINT: { value: 'endpoint', description: 'Another Lambda-compatible endpoint.' },
  } as const,
});

const GatewayInfoRef = builder.objectRef<GatewayInfo>('GatewayInfo').implement({
  fields: (t) => ({
    lambdaTarget: t.field({ type: LambdaTargetKindEnum, resolve: (info) => info.lambdaTarget }),
    region: t.exposeString('region'),
    maxBatchSize: t.exposeInt('maxBatchSize', { description: 'Most inputs one `invokeFunctions` takes.' }),
    invokeTimeoutMs: t.exposeInt('invokeTimeoutMs', { description: 'The gateway’s deadline for one invocation.' }),
  }),
});

builder.queryFields((t) => ({
  gateway: t.field({ type: GatewayInfoRef, resolve: (_root, _args, context) => context.gateway }),
}));
