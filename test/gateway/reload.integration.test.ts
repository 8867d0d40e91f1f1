/**
 * Reload on edit through the gateway: `startGatewayServer` applies the resolved configuration's
 * `lambda.watch` to its built-in local Lambda — development reloads a temporary copy of
 * test/fixtures/functions/reload when a handler is edited, production never watches, whatever the
 * embedder passes. The reload rules themselves are tested in test/local-lambda/reload.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.ts';
import { InvokeFunctionDocument } from './documents.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/functions/reload', import.meta.url));

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function gatewayOn(options: Parameters<typeof startTestGateway>[0]): Promise<{ gateway: TestGateway; folder: string }> {
  const folder = mkdtempSync(path.join(tmpdir(), 'gateway-reload-'));
  cpSync(FIXTURE, folder, { recursive: true });
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  const gateway = await startTestGateway({ ...options, lambda: { kind: 'local', functions: folder } });
  cleanups.push(() => gateway.close());
  return { gateway, folder };
}

async function answer(gateway: TestGateway): Promise<unknown> {
  const result = await gateway.execute(InvokeFunctionDocument, { input: { functionName: 'answer' } });
  const invoked = result.data?.invokeFunction;
  if (invoked?.__typename !== 'Invocation') throw new Error(`not an invocation: ${JSON.stringify(result)}`);
  return invoked.payloadJson;
}

function editAnswer(folder: string): void {
  const file = path.join(folder, 'answer.ts');
  writeFileSync(file, readFileSync(file, 'utf8').replace("const CODE = 'v1'", "const CODE = 'v2'"));
}

describe('the gateway’s built-in local Lambda', () => {
  it('reloads an edited handler in development: the next invocation runs the new code', async () => {
    const { gateway, folder } = await gatewayOn({});
    const local = gateway.running.localLambda;
    expect(local?.lambda.config.watch).toBe(true);
    expect(await answer(gateway)).toMatchObject({ code: 'v1' });
    const reloaded = new Promise<void>((resolve) => {
      const stop = local?.lambda.onReload(() => {
        stop?.();
        resolve();
      });
    });
    editAnswer(folder);
    await reloaded;
    expect(await answer(gateway)).toMatchObject({ code: 'v2' });
  });

  it('never watches in production', async () => {
    const { gateway } = await gatewayOn({ mode: 'production', access: { allow: [{ functions: ['answer'] }] } });
    expect(gateway.running.localLambda?.lambda.config.watch).toBe(false);
  });

  it('does not watch with lambda.watch: false', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'gateway-reload-'));
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
    cpSync(FIXTURE, folder, { recursive: true });
    const gateway = await startTestGateway({ lambda: { kind: 'local', functions: folder, watch: false } });
    cleanups.push(() => gateway.close());
    expect(gateway.running.localLambda?.lambda.config.watch).toBe(false);
  });
});
