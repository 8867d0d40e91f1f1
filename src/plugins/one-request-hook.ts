/**
 * The `onRequest` hooks of several plugins run as one. The server adapter steps through its
 * `onRequest` hooks with promise-shaped wrappers per hook and per request (profiled: with the
 * gateway's dozen such hooks, the stepping cost more than the hooks themselves); these hooks are
 * plain path and header checks that mostly return at once, so one hook calling them in a loop does
 * the same work without the wrappers.
 *
 * Order and semantics are kept: the hooks run in the plugins' order, each sees the request as set
 * by those before it, and once one has answered (`endResponse`) the rest are skipped, as the adapter
 * skips them; a hook that returns a promise is awaited before the next runs. The plugins' other
 * hooks stay where they were. A plugin with `onPluginInit` may add plugins just after itself
 * (yoga's own plugins do), so the hooks before and after it are never merged.
 */
import type { Plugin } from 'graphql-yoga';

type RequestHook = NonNullable<Plugin['onRequest']>;
type RequestPayload = Parameters<RequestHook>[0];

/** `plugins` in the same order, each run of consecutive `onRequest` hooks made one hook. */
export function withOneRequestHook(plugins: readonly Plugin[]): Plugin[] {
  const result: Plugin[] = [];
  let run: Plugin[] = [];
  const flush = (): void => {
    result.push(...merged(run));
    run = [];
  };
  for (const plugin of plugins) {
    if (plugin.onPluginInit === undefined) {
      run.push(plugin);
    } else {
      flush();
      result.push(plugin);
    }
  }
  flush();
  return result;
}

/** One plugin running the run's hooks, then the run's plugins without theirs. */
function merged(run: readonly Plugin[]): Plugin[] {
  if (run.filter((plugin) => plugin.onRequest !== undefined).length <= 1) return [...run];
  const hooks: RequestHook[] = [];
  const rest = run.map((plugin): Plugin => {
    const { onRequest, ...others } = plugin;
    if (onRequest === undefined) return plugin;
    hooks.push((payload) => onRequest.call(plugin, payload));
    return others;
  });
  const onRequest: RequestHook = (payload) => {
    let ended = false;
    const own: RequestPayload = {
      ...payload,
      setRequest(request) {
        own.request = request;
        payload.setRequest(request);
      },
      setRequestHandler(handler) {
        own.requestHandler = handler;
        payload.setRequestHandler(handler);
      },
      endResponse(response) {
        payload.endResponse(response);
        // An empty answer ends nothing, as in the adapter.
        if (response) ended = true;
      },
    };
    const from = (first: number): Promise<void> | undefined => {
      for (let index = first; index < hooks.length && !ended; index++) {
        const answer = (hooks[index] as RequestHook)(own);
        if (answer !== undefined && typeof answer.then === 'function') return Promise.resolve(answer).then(() => from(index + 1));
      }
      return undefined;
    };
    return from(0);
  };
  return [{ onRequest }, ...rest];
}
