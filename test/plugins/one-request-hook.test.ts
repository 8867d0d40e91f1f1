/**
 * `withOneRequestHook` in a small yoga served through `yoga.fetch`: the merged hooks keep the
 * plugins' order, see a request replaced by an earlier hook, wait for a hook's promise, stop once
 * one has answered, and are never merged across a plugin that adds plugins at init.
 */
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { withOneRequestHook } from '../../src/plugins/one-request-hook.ts';

const schema = createSchema({ typeDefs: 'type Query { ok: Boolean }', resolvers: { Query: { ok: () => true } } });

function serve(plugins: Plugin[]): (path: string) => Promise<Response> {
  const yoga = createYoga({ schema, graphiql: false, landingPage: false, plugins: withOneRequestHook(plugins) });
  return (path) => Promise.resolve(yoga.fetch(`http://localhost${path}`));
}

describe('withOneRequestHook', () => {
  it('runs the hooks in order, awaiting each promise, and skips the rest once one has answered', async () => {
    const seen: string[] = [];
    const hook = (name: string, answersPath?: string): Plugin => ({
      onRequest(payload) {
        seen.push(name);
        if (payload.url.pathname === answersPath) payload.endResponse(new payload.fetchAPI.Response(name));
      },
    });
    const slow: Plugin = {
      async onRequest() {
        await new Promise((resolve) => setTimeout(resolve, 5));
        seen.push('slow');
      },
    };
    const fetch = serve([hook('a'), slow, hook('b', '/b'), hook('c', '/c')]);

    expect(await (await fetch('/b')).text()).toBe('b');
    expect(seen).toEqual(['a', 'slow', 'b']);
    seen.length = 0;
    expect(await (await fetch('/c')).text()).toBe('c');
    expect(seen).toEqual(['a', 'slow', 'b', 'c']);
  });

  it('hands later hooks the request an earlier one set', async () => {
    let read: string | null = null;
    const fetch = serve([
      {
        onRequest(payload) {
          payload.setRequest(new payload.fetchAPI.Request(payload.request.url, { headers: { 'x-set': 'yes' } }));
        },
      },
      {
        onRequest(payload) {
          read = payload.request.headers.get('x-set');
          payload.endResponse(new payload.fetchAPI.Response('done'));
        },
      },
    ]);
    expect(await (await fetch('/graphql')).text()).toBe('done');
    expect(read).toBe('yes');
  });

  it('keeps the hooks a plugin adds at init between the ones before and after it', async () => {
    const seen: string[] = [];
    const record = (name: string): Plugin => ({ onRequest: () => void seen.push(name) });
    const adding: Plugin = {
      onPluginInit({ addPlugin }) {
        addPlugin(record('added'));
      },
    };
    const fetch = serve([record('first'), record('second'), adding, record('third'), record('fourth')]);
    await fetch('/graphql?query={ok}');
    expect(seen).toEqual(['first', 'second', 'added', 'third', 'fourth']);
  });
});
