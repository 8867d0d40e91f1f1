/**
 * The dashboard in real headless Chromium: invocations made while it is open appear at once
 * (over graphql-ws), with their function, type, status, duration and error; clicking one shows
 * its decoded logs; the latency chart draws a row per function; the page's own form invokes; and
 * with API keys configured, the page asks for one and works once given.
 */
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageProblems, launchBrowser, screenshot, type TestBrowser } from '../helpers/browser.ts';
import { startTestGateway, type TestGateway } from '../helpers/gateway.ts';

const BROWSER_TEST_TIMEOUT = 90_000;
const WAIT = { timeout: 60_000 };

interface Invoked {
  readonly requestId: string;
}

async function invoke(url: string, input: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Invoked> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({
      query: 'mutation ($input: InvokeFunctionInput!) { invokeFunction(input: $input) { ... on Invocation { requestId } } }',
      variables: { input },
    }),
  });
  const body = (await response.json()) as { data: { invokeFunction: Invoked } };
  return body.data.invokeFunction;
}

/** The cells of the row of one invocation, once it is shown. */
async function rowOf(page: Page, requestId: string): Promise<string[]> {
  const row = page.locator(`#invocations tr[data-request-id="${requestId}"]`);
  await row.waitFor(WAIT);
  return row.locator('td').allTextContents();
}

describe('the dashboard', () => {
  let gateway: TestGateway;
  let browser: TestBrowser;
  let origin: string;
  beforeAll(async () => {
    [gateway, browser] = await Promise.all([startTestGateway(), launchBrowser()]);
    origin = new URL(gateway.running.url).origin;
  }, BROWSER_TEST_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it(
    'shows invocations made while it is open, live, and their decoded logs when one is clicked',
    async () => {
      const page = await browser.newPage();
      const problems = collectPageProblems(page);
      await page.goto(`${origin}/dashboard`);
      await page.locator('#connection[data-state="live"]').waitFor(WAIT);

      const logged = await invoke(gateway.running.url, { functionName: 'logs', logType: 'TAIL', payload: { lines: 3 } });
      const failed = await invoke(gateway.running.url, { functionName: 'fail' });
      const refused = await fetch(gateway.running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation { invokeFunction(input: { functionName: "nope" }) { __typename } }' }),
      });
      expect(refused.status).toBe(200);

      const [, fn, type, status, http, duration] = await rowOf(page, logged.requestId);
      expect([fn, type, status, http]).toEqual(['logs', 'RequestResponse', 'SUCCEEDED', '200']);
      expect(duration).toMatch(/^\d+(\.\d+)? (ms|s)$/);
      const failedRow = await rowOf(page, failed.requestId);
      expect(failedRow.slice(1, 5)).toEqual(['fail', 'RequestResponse', 'FAILED', '200']);
      expect(failedRow[6]).toContain('FixtureError');
      // The refused one has no Lambda request id: find it by function.
      const refusedRow = page.locator('#invocations tr[data-function="nope"]');
      await refusedRow.waitFor(WAIT);
      expect(await refusedRow.locator('td').nth(3).textContent()).toBe('REFUSED');
      expect(await refusedRow.locator('td').nth(6).textContent()).toContain('FunctionNotFoundError');

      // One latency row per function Lambda answered for; the refused one has none.
      await page.locator('#latency-chart g[data-function="fail"]').waitFor(WAIT);
      const charted = await page
        .locator('#latency-chart g[data-function]')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-function')));
      expect(charted).toEqual(expect.arrayContaining(['fail', 'logs']));
      expect(charted).not.toContain('nope');

      await page.locator(`#invocations tr[data-request-id="${logged.requestId}"]`).click();
      await page.waitForFunction(
        (id) => (document.querySelector('#logs')?.textContent ?? '').includes(`REPORT RequestId: ${id}`),
        logged.requestId,
        WAIT,
      );
      const logs = (await page.locator('#logs').textContent()) ?? '';
      expect(logs).toContain(`START RequestId: ${logged.requestId}`);
      expect(logs).toContain('line 3');
      expect(await page.locator('#details-fields').textContent()).toContain(logged.requestId);
      await screenshot(page, 'dashboard-logs');

      // The failed one was invoked without logs: the page says so, and shows the function's error.
      await page.locator(`#invocations tr[data-request-id="${failed.requestId}"]`).click();
      await page.locator('#logs', { hasText: 'did not ask for logType TAIL' }).waitFor(WAIT);
      expect(await page.locator('#details-stack').textContent()).toContain('FixtureError: fixture failure');
      expect(problems).toEqual([]);
      await page.context().close();
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'lists the functions the caller may invoke, with runtime, memory, timeout, versions and aliases',
    async () => {
      const page = await browser.newPage();
      const problems = collectPageProblems(page);
      await page.goto(`${origin}/dashboard`);
      const cells = async (name: string) => {
        const row = page.locator(`#catalog-functions tr[data-function="${name}"]`);
        await row.waitFor(WAIT);
        return row.locator('td').allTextContents();
      };
      expect(await cells('echo')).toEqual(['echo', 'nodejs24.x', '128 MB', '3 s', '$LATEST, 1, 2', 'live → 1, edge → $LATEST']);
      expect((await cells('context')).slice(0, 4)).toEqual(['context', 'nodejs24.x', '256 MB', '7 s']);
      const listed = await page
        .locator('#catalog-functions tr[data-function]')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-function')));
      expect(listed).toEqual(expect.arrayContaining(['echo', 'fail', 'noop', 'sleep', 'logs']));
      expect(await page.locator('#catalog-status').isHidden()).toBe(true);
      // The invoke form offers the catalog's names.
      const offered = await page.locator('#known-functions option').evaluateAll((options) => options.map((o) => o.textContent));
      expect(offered).toEqual(expect.arrayContaining(['echo', 'noop']));
      await screenshot(page, 'dashboard-catalog');
      expect(problems).toEqual([]);
      await page.context().close();
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'shows, after a reload, what happened before, and invokes from its own form',
    async () => {
      const earlier = await invoke(gateway.running.url, { functionName: 'echo', payload: 'before the page opened' });
      const page = await browser.newPage();
      const problems = collectPageProblems(page);
      await page.goto(`${origin}/dashboard`);
      expect((await rowOf(page, earlier.requestId)).slice(1, 4)).toEqual(['echo', 'RequestResponse', 'SUCCEEDED']);

      await page.locator('#invoke-form input[name="functionName"]').fill('noop');
      await page.locator('#invoke-form button[type="submit"]').click();
      const output = page.locator('#invoke-result', { hasText: /^200 · / });
      await output.waitFor(WAIT);
      const requestId = ((await output.textContent()) ?? '').split(' · ').at(-1) ?? '';
      expect((await rowOf(page, requestId)).slice(1, 4)).toEqual(['noop', 'RequestResponse', 'SUCCEEDED']);
      expect(problems).toEqual([]);
      await page.context().close();
    },
    BROWSER_TEST_TIMEOUT,
  );
});

describe('the dashboard with API keys', () => {
  const key = 'dashboard-test-key-0123456789';
  let gateway: TestGateway;
  let browser: TestBrowser;
  beforeAll(async () => {
    [gateway, browser] = await Promise.all([
      startTestGateway({ auth: { apiKeys: [{ id: 'dashboard', sha256: createHash('sha256').update(key).digest('hex') }] } }),
      launchBrowser(),
    ]);
  }, BROWSER_TEST_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it(
    'asks for an API key, then shows the invocations with it',
    async () => {
      const page = await browser.newPage();
      await page.goto(`${new URL(gateway.running.url).origin}/dashboard`);
      await page.locator('#problem', { hasText: 'enter an API key' }).waitFor(WAIT);
      await page.locator('#catalog-status', { hasText: 'could not be listed' }).waitFor(WAIT);
      await page.locator('#api-key').fill(key);
      await page.locator('#api-key').press('Enter');
      await page.locator('#api-key').blur();
      await page.locator('#problem').waitFor({ ...WAIT, state: 'hidden' });
      await page.locator('#catalog-functions tr[data-function="echo"]').waitFor(WAIT);
      const invoked = await invoke(gateway.running.url, { functionName: 'echo' }, { 'x-api-key': key });
      expect((await rowOf(page, invoked.requestId)).slice(1, 4)).toEqual(['echo', 'RequestResponse', 'SUCCEEDED']);
      await page.context().close();
    },
    BROWSER_TEST_TIMEOUT,
  );
});
