/**
 * The allowlist on its own (src/access/allowlist.ts): which rule matches which target, how grants
 * add up, and the FORBIDDEN refusal that stops a request before Lambda hears of it.
 */
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { Allowlist, type AllowRule, type Target } from '../../src/access/allowlist.ts';
import { ANONYMOUS, type Principal } from '../../src/auth/authenticator.ts';
import type { InvokeRequest } from '../../src/lambda/invoker.ts';
import type { InvocationType, LogType } from '../../src/protocol/function-name.ts';

const OPERATOR: Principal = { kind: 'api-key', id: 'ops', roles: ['operator'] };

function target(functionName: string, qualifier?: string, invocationType: InvocationType = 'RequestResponse'): Target {
  return { functionName, qualifier, invocationType };
}

function request(
  functionName: string,
  more: { qualifier?: string; invocationType?: InvocationType; logType?: LogType; spelled?: string } = {},
): InvokeRequest {
  return {
    functionName: more.spelled ?? functionName,
    qualifier: undefined,
    target: { name: functionName, qualifier: more.qualifier, region: undefined, account: undefined },
    invocationType: more.invocationType ?? 'RequestResponse',
    logType: more.logType ?? 'None',
    payload: new Uint8Array(),
    clientContext: undefined,
  };
}

function refusal(fn: () => unknown): GraphQLError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    return error as GraphQLError;
  }
  throw new Error('expected a FORBIDDEN refusal, nothing was thrown');
}

describe('Allowlist', () => {
  it('allows everything and shows everything without rules (development)', () => {
    expect(new Allowlist(undefined).grants(ANONYMOUS, target('anything'))).toEqual({ tailLogs: true, errorDetails: true });
  });

  it('allows nothing with an empty list', () => {
    expect(new Allowlist([]).grants(ANONYMOUS, target('echo'))).toBeUndefined();
  });

  it('matches function names exactly or by `*` pattern, and nothing else', () => {
    const list = new Allowlist([{ functions: ['echo', 'report-*'] }]);
    expect(list.grants(ANONYMOUS, target('echo'))).toBeDefined();
    expect(list.grants(ANONYMOUS, target('report-daily'))).toBeDefined();
    expect(list.grants(ANONYMOUS, target('echo2'))).toBeUndefined();
    expect(list.grants(ANONYMOUS, target('my-report-daily'))).toBeUndefined();
  });

  it('reads no qualifier as $LATEST when a rule lists qualifiers', () => {
    const list = new Allowlist([{ functions: ['echo'], qualifiers: ['$LATEST', 'v*'] }]);
    expect(list.grants(ANONYMOUS, target('echo'))).toBeDefined();
    expect(list.grants(ANONYMOUS, target('echo', 'v2'))).toBeDefined();
    expect(list.grants(ANONYMOUS, target('echo', '1'))).toBeUndefined();
    // Without qualifiers in the rule, any qualifier is allowed.
    expect(new Allowlist([{ functions: ['echo'] }]).grants(ANONYMOUS, target('echo', '7'))).toBeDefined();
  });

  it('limits a rule to its invocation types, but not a question about any type (reading records)', () => {
    const list = new Allowlist([{ functions: ['echo'], invocationTypes: ['Event'] }]);
    expect(list.grants(ANONYMOUS, target('echo', undefined, 'Event'))).toBeDefined();
    expect(list.grants(ANONYMOUS, target('echo', undefined, 'RequestResponse'))).toBeUndefined();
    expect(list.grants(ANONYMOUS, { functionName: 'echo', qualifier: undefined, invocationType: undefined })).toBeDefined();
  });

  it('applies a rule with roles only to principals holding one of them', () => {
    const list = new Allowlist([{ functions: ['admin-*'], roles: ['operator'] }]);
    expect(list.grants(OPERATOR, target('admin-reset'))).toBeDefined();
    expect(list.grants(ANONYMOUS, target('admin-reset'))).toBeUndefined();
    expect(list.grants({ kind: 'jwt', subject: 'u1', roles: ['viewer'], claims: {} }, target('admin-reset'))).toBeUndefined();
  });

  it('tells whether some rule for the principal names a function, whatever qualifiers it allows (the catalog)', () => {
    const list = new Allowlist([
      { functions: ['orders-*'], qualifiers: ['prod'], roles: ['operator'] },
      { functions: ['echo'], invocationTypes: ['DryRun'] },
    ]);
    expect(list.namesFunction(OPERATOR, 'orders-report')).toBe(true);
    expect(list.grants(OPERATOR, target('orders-report'))).toBeUndefined();
    expect(list.namesFunction(ANONYMOUS, 'orders-report')).toBe(false);
    expect(list.namesFunction(ANONYMOUS, 'echo')).toBe(true);
    expect(list.namesFunction(ANONYMOUS, 'other')).toBe(false);
    expect(new Allowlist(undefined).namesFunction(ANONYMOUS, 'anything')).toBe(true);
    expect(new Allowlist([]).namesFunction(OPERATOR, 'echo')).toBe(false);
  });

  it('adds up the grants of every matching rule', () => {
    const rules: AllowRule[] = [
      { functions: ['*'], tailLogs: false, errorDetails: false },
      { functions: ['echo'], roles: ['operator'], tailLogs: true, errorDetails: false },
    ];
    const list = new Allowlist(rules);
    expect(list.grants(ANONYMOUS, target('echo'))).toEqual({ tailLogs: false, errorDetails: false });
    expect(list.grants(OPERATOR, target('echo'))).toEqual({ tailLogs: true, errorDetails: false });
  });

  describe('authorize', () => {
    it('returns the grants of each request, in order', () => {
      const list = new Allowlist([{ functions: ['echo'] }, { functions: ['quiet'], tailLogs: false, errorDetails: false }]);
      expect(list.authorize(ANONYMOUS, [request('echo'), request('quiet')])).toEqual([
        { tailLogs: true, errorDetails: true },
        { tailLogs: false, errorDetails: false },
      ]);
    });

    it('refuses with FORBIDDEN, naming the first request not allowed as the caller spelled it', () => {
      const list = new Allowlist([{ functions: ['echo'], qualifiers: ['$LATEST'] }]);
      const error = refusal(() =>
        list.authorize(ANONYMOUS, [
          request('echo'),
          request('echo', { qualifier: 'prod', spelled: 'arn:aws:lambda:us-east-1:123456789012:function:echo:prod' }),
        ]),
      );
      expect(error.extensions.code).toBe('FORBIDDEN');
      expect(error.message).toBe(
        "Invoking arn:aws:lambda:us-east-1:123456789012:function:echo:prod (qualifier prod) as RequestResponse is not allowed by this gateway's access rules",
      );
    });

    it('checks the function\u2019s own name, whatever form the caller used', () => {
      const list = new Allowlist([{ functions: ['other'] }]);
      // An ARN naming `echo` does not slip past a rule for `other` by its spelling.
      expect(() => list.authorize(ANONYMOUS, [request('echo', { spelled: 'other:echo' })])).toThrow(GraphQLError);
    });

    it('refuses a Tail log request where the rule denies log tails', () => {
      const list = new Allowlist([{ functions: ['echo'], tailLogs: false }]);
      expect(list.authorize(ANONYMOUS, [request('echo')])).toHaveLength(1);
      const error = refusal(() => list.authorize(ANONYMOUS, [request('echo', { logType: 'Tail' })]));
      expect(error.extensions.code).toBe('FORBIDDEN');
      expect(error.message).toBe("Tail logs of echo as RequestResponse are not allowed by this gateway's access rules");
    });
  });
});
