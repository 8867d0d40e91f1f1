/**
 * GraphQL over HTTP conformance: every audit graphql-http publishes (`serverAudits`), run against
 * the assembled gateway through `gateway.fetch` (the audits take the fetch they use), no port. All
 * pass — MUST, SHOULD and MAY — but the MAY cases that CSRF
 * prevention refuses on purpose: an operation in a GET without a custom header is what any web
 * page can make a visitor's browser send (an <img>, a link, an EventSource), so it is refused with
 * 403 CSRF_HEADER_REQUIRED; with the header the same GETs pass.
 */
import { type AuditResult, serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleUnitGateway, GRAPHQL_URL, type UnitGateway } from '../helpers/unit-gateway.ts';

let gateway: UnitGateway;
beforeAll(async () => {
  gateway = await assembleUnitGateway();
});
afterAll(() => gateway.close());

/** The GETs with an operation and no custom header, by audit id. */
const REFUSED_BY_CSRF_PREVENTION = new Set(['5A70', 'D6D5', '6A70']);

/** The audits' requests (a URL and an init each), to the gateway without a socket. */
const gatewayFetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  if (input instanceof Request) throw new Error('the audits send a URL and an init, not a Request');
  return gateway.fetch(input.toString(), init);
};

const audits = serverAudits({ url: GRAPHQL_URL, fetchFn: gatewayFetch });

/** The reason a failed audit gives, so an assertion failure says what the audit saw. */
const outcome = (result: AuditResult): string => (result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`);

describe('graphql-http server audits', () => {
  it('are all there, with the CSRF cases among them (the list is graphql-http’s, not ours)', () => {
    expect(audits.length).toBeGreaterThan(60);
    const ids = new Set(audits.map((audit) => audit.id));
    for (const id of REFUSED_BY_CSRF_PREVENTION) expect(ids).toContain(id);
  });

  it.each(audits.filter((audit) => !REFUSED_BY_CSRF_PREVENTION.has(audit.id)).map((audit) => [audit.id, audit.name, audit] as const))(
    '%s %s',
    async (_id, _name, audit) => {
      expect(outcome(await audit.fn())).toBe('ok');
    },
  );

  it.each(audits.filter((audit) => REFUSED_BY_CSRF_PREVENTION.has(audit.id)).map((audit) => [audit.id, audit.name, audit] as const))(
    '%s %s: refused on purpose without a CSRF header',
    async (_id, _name, audit) => {
      const result = await audit.fn();
      expect(result.status).not.toBe('ok');
      if (result.status === 'ok') return;
      expect(result.response.status).toBe(403);
      expect(await result.response.json()).toMatchObject({ errors: [{ extensions: { code: 'CSRF_HEADER_REQUIRED' } }] });
    },
  );

  it('passes the same GET audits when the client sends a CSRF header, as the README says to', async () => {
    const withHeader = (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> =>
      gatewayFetch(input, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), 'x-graphql-csrf': '1' } });
    const results = await Promise.all(
      serverAudits({ url: GRAPHQL_URL, fetchFn: withHeader })
        .filter((audit) => REFUSED_BY_CSRF_PREVENTION.has(audit.id))
        .map(async (audit) => [audit.id, outcome(await audit.fn())] as const),
    );
    expect(Object.fromEntries(results)).toEqual({ '5A70': 'ok', D6D5: 'ok', '6A70': 'ok' });
  });
});
