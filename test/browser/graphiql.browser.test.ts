/**
 * GraphiQL in real headless Chromium: it loads with nothing from the internet, opens on the
 * example tabs, runs the example invocation and shows its result, shows a tab's variables,
 * shows a subscription's live events (over graphql-ws), and authenticates with the header from
 * its headers editor.
 */
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_OPERATIONS } from '../../src/graphiql/example-operations.ts';
import { collectPageProblems, launchBrowser, screenshot, type TestBrowser } from '../helpers/browser.ts';
import { startTestGateway, type TestGateway } from '../helpers/gateway.ts';

/** Generous: the GraphiQL page is 9 MB of inlined JavaScript, on a loaded 2-core machine. */
const BROWSER_TEST_TIMEOUT = 90_000;
const WAIT = { timeout: 60_000 };

/** What GraphiQL's result pane shows, with Monaco's non-breaking spaces made plain. */
async function waitForResponseText(page: Page, expected: string): Promise<void> {
  try {
    await page.waitForFunction(
      (text) => (document.querySelector('.graphiql-response')?.textContent ?? '').replaceAll('\u00a0', ' ').includes(text),
      expected,
      WAIT,
    );
  } catch (error) {
    // Shows what the pane had instead, in the failure and in a screenshot.
    await screenshot(page, `graphiql-failed-${Date.now()}`);
    const shown = (await page.locator('.graphiql-response').textContent()) ?? '';
    throw new Error(`GraphiQL's result pane never showed ${expected}; it shows: ${shown.replaceAll('\u00a0', ' ').slice(0, 2000)}`, {
      cause: error,
    });
  }
}

/** GraphiQL's answer when it runs a tab's document under another tab's operation name. */
const STALE_OPERATION = 'Cannot infer operation';

/**
 * Runs the active tab's operation in the browser and waits for `expected` in the result pane.
 * Right after a tab switch GraphiQL may still hold the previous tab's operation name (it updates
 * it when it has re-read the editor) and answers "Cannot infer operation <previous>" without
 * sending anything; that answer is the signal that its state has caught up, so the run is
 * started once more.
 */
async function execute(page: Page, expected: string): Promise<void> {
  await page.locator('.graphiql-execute-button').click();
  const outcome = await page.waitForFunction(
    ([text, stale]) => {
      const shown = (document.querySelector('.graphiql-response')?.textContent ?? '').replaceAll('\u00a0', ' ');
      return shown.includes(text) ? 'done' : shown.includes(stale) ? 'stale' : false;
    },
    [expected, STALE_OPERATION] as const,
    WAIT,
  );
  if ((await outcome.jsonValue()) === 'stale') await page.locator('.graphiql-execute-button').click();
  await waitForResponseText(page, expected);
}

async function invoke(url: string, functionName: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({
      query: `mutation { invokeFunction(input: { functionName: "${functionName}" }) { ... on Invocation { requestId } } }`,
    }),
  });
  const body = (await response.json()) as { data: { invokeFunction: { requestId: string } } };
  return body.data.invokeFunction.requestId;
}

async function openGraphiQL(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('.graphiql-tab', { hasText: 'InvokeEcho' }).waitFor(WAIT);
}

/**
 * Switches to a tab and waits until GraphiQL shows it (its editor shows `operation`). The click is
 * dispatched to the tab's button: tabs can be dragged to reorder them, and a synthetic pointer
 * press starts a drag.
 */
async function openTab(page: Page, name: string, operation = `subscription ${name}`): Promise<void> {
  await page.locator('.graphiql-tab-button', { hasText: name }).dispatchEvent('click');
  await page.locator('.graphiql-tab-active', { hasText: name }).waitFor(WAIT);
  await page.waitForFunction(
    (text) => (document.querySelector('.graphiql-query-editor')?.textContent ?? '').replaceAll('\u00a0', ' ').includes(text),
    operation,
    WAIT,
  );
}

/**
 * Replaces the headers editor's text. Inserted as text, then whatever Monaco auto-closed after
 * the cursor is deleted.
 */
async function setHeaders(page: Page, headers: Record<string, string>): Promise<void> {
  await page.getByRole('button', { name: 'Headers' }).click();
  await page.locator('.graphiql-editor-tool .graphiql-editor').last().click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(JSON.stringify(headers));
  await page.keyboard.press('Shift+ControlOrMeta+End');
  await page.keyboard.press('Delete');
}

/** The names GraphiQL gives the example tabs: their first operation's. */
function tabNames(page: Page): Promise<string[]> {
  return page
    .locator('.graphiql-tab')
    .evaluateAll((tabs) => tabs.map((tab) => tab.querySelector('.graphiql-tab-button')?.textContent?.trim() ?? ''));
}

describe('GraphiQL', () => {
  let gateway: TestGateway;
  let browser: TestBrowser;
  let problems: string[] = [];
  beforeAll(async () => {
    [gateway, browser] = await Promise.all([startTestGateway(), launchBrowser()]);
  }, BROWSER_TEST_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });
  afterEach(() => {
    expect(problems, 'the page had errors').toEqual([]);
    problems = [];
  });

  it(
    'loads without the internet, opens on the example tabs, runs InvokeEcho and shows its result',
    async () => {
      const page = await browser.newPage();
      problems = collectPageProblems(page);
      const origin = new URL(gateway.running.url).origin;
      const elsewhere: string[] = [];
      page.on('request', (request) => {
        const url = request.url();
        if (!url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')) elsewhere.push(url);
      });
      await openGraphiQL(page, gateway.running.url);
      expect(await tabNames(page)).toEqual([
        'InvokeEcho',
        'InvokeFail',
        'StreamTokens',
        'InvokeVersions',
        'InvokeMany',
        'UsersWithOrders',
        'DryRun',
        'InvokeEvent',
        'LiveInvocations',
        'GatewayAndRecent',
        'FunctionCatalog',
      ]);
      expect(EXAMPLE_OPERATIONS).toHaveLength(11);

      const answered = page.waitForResponse(
        (response) => response.url() === gateway.running.url && (response.request().postData() ?? '').includes('InvokeEcho'),
        WAIT,
      );
      await page.locator('.graphiql-execute-button').click();
      const body = (await (await answered).json()) as { data: { invokeFunction: { requestId: string; statusCode: number } } };
      expect(body.data.invokeFunction.statusCode).toBe(200);
      const { requestId } = body.data.invokeFunction;
      await waitForResponseText(page, `"requestId": "${requestId}"`);
      await waitForResponseText(page, `"hello": "world"`);
      await waitForResponseText(page, `"decodedLogs": "START RequestId:`);
      await screenshot(page, 'graphiql-invoke-echo');
      expect(elsewhere, 'requests left the gateway').toEqual([]);
      await page.context().close();
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'opens a tab that needs variables with the Variables pane showing them',
    async () => {
      const page = await browser.newPage();
      problems = collectPageProblems(page);
      await openGraphiQL(page, gateway.running.url);
      // The DryRun tab holds InvokeOnce($key: String!), whose key is in the tab's variables.
      await openTab(page, 'DryRun', 'mutation InvokeOnce');
      const variables = EXAMPLE_OPERATIONS.find((example) => example.query.includes('mutation InvokeOnce'))?.variables;
      const key = String(variables?.key);
      // GraphiQL marks the Variables button active only while its pane is open and selected.
      await page.locator('.graphiql-editor-tools button.active', { hasText: 'Variables' }).waitFor(WAIT);
      await page
        .locator('.graphiql-editor-tool')
        .getByText(key)
        .first()
        .waitFor({ state: 'visible', ...WAIT });
      await screenshot(page, 'graphiql-variables-pane');
      await page.context().close();
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'runs the LiveInvocations subscription over graphql-ws and shows each new invocation as it happens',
    async () => {
      const page = await browser.newPage();
      problems = collectPageProblems(page);
      const sockets: string[] = [];
      page.on('websocket', (socket) => sockets.push(socket.url()));
      const before = await invoke(gateway.running.url, 'noop');
      await openGraphiQL(page, gateway.running.url);
      await openTab(page, 'LiveInvocations');
      // The subscription starts with the recent invocations: the newest is the one just made.
      await execute(page, `"requestId": "${before}"`);
      // Now it is running: each invocation from here on is a live event.
      for (const functionName of ['echo', 'fail']) {
        const requestId = await invoke(gateway.running.url, functionName);
        await waitForResponseText(page, `"requestId": "${requestId}"`);
        await waitForResponseText(page, `"functionName": "${functionName}"`);
      }
      await waitForResponseText(page, '"status": "FAILED"');
      await screenshot(page, 'graphiql-live-invocations');
      expect(new Set(sockets)).toEqual(new Set([gateway.running.url.replace(/^http/, 'ws')]));
      await page.context().close();
    },
    BROWSER_TEST_TIMEOUT,
  );
});

describe('GraphiQL with API keys', () => {
  const key = 'graphiql-test-key-0123456789';
  let gateway: TestGateway;
  let browser: TestBrowser;
  beforeAll(async () => {
    [gateway, browser] = await Promise.all([
      startTestGateway({ auth: { apiKeys: [{ id: 'graphiql', sha256: createHash('sha256').update(key).digest('hex') }] } }),
      launchBrowser(),
    ]);
  }, BROWSER_TEST_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it(
    'opens with an x-api-key placeholder in the headers editor and authenticates queries and subscriptions with the key put there',
    async () => {
      const page = await browser.newPage();
      const problems = collectPageProblems(page);
      await openGraphiQL(page, gateway.running.url);
      await page.getByRole('button', { name: 'Headers' }).click();
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll('.graphiql-editor-tool')].some((tool) =>
            (tool.textContent ?? '').replaceAll('\u00a0', ' ').includes('"x-api-key": "<your API key>"'),
          ),
        undefined,
        WAIT,
      );

      // The placeholder is not a key: the gateway says so.
      await page.locator('.graphiql-execute-button').click();
      await waitForResponseText(page, 'UNAUTHENTICATED');

      // Put the real key in the headers editor.
      await setHeaders(page, { 'x-api-key': key });
      await page.locator('.graphiql-execute-button').click();
      await waitForResponseText(page, '"statusCode": 200');

      // Subscriptions go over graphql-ws, with the same header sent along with the operation.
      await openTab(page, 'LiveInvocations');
      await setHeaders(page, { 'x-api-key': key });
      // Started with the recent invocations (the InvokeEcho above), then live.
      await execute(page, '"functionName": "echo"');
      const requestId = await invoke(gateway.running.url, 'noop', { 'x-api-key': key });
      await waitForResponseText(page, `"requestId": "${requestId}"`);
      await screenshot(page, 'graphiql-api-key');
      // The 401s are the requests made with the placeholder (the schema's introspection among them).
      expect(problems.filter((problem) => !problem.includes('status of 401 (Unauthorized)'))).toEqual([]);
      await page.context().close();
    },
    BROWSER_TEST_TIMEOUT,
  );
});
