/** A checked `InvokeRequest` as request-checks.ts builds one: `{}` to `name`'s $LATEST, then `overrides`. */
import type { InvokeRequest } from '../../src/lambda/invoker.ts';

export function invokeRequest(name: string, overrides: Partial<InvokeRequest> = {}): InvokeRequest {
  return {
    functionName: name,
    qualifier: undefined,
    target: { name, qualifier: undefined, region: undefined, account: undefined },
    invocationType: 'RequestResponse',
    logType: 'None',
    payload: new TextEncoder().encode('{}'),
    clientContext: undefined,
    ...overrides,
  };
}
