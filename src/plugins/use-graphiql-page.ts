/**
 * GraphiQL at the GraphQL path for browsers (a GET or HEAD that accepts text/html): the page of
 * @graphql-yoga/render-graphiql, every asset inlined rather than loaded from a CDN as yoga's
 * default page does, so it works on a machine without internet. That makes it 9 MB: it is
 * rendered and compressed once, on the first visit (not at start, which the bundle would slow
 * down), and sent brotli or gzip with an ETag, so a reload is a 304 (http/static-asset.ts).
 *
 * Served here instead of by yoga's own GraphiQL plugin (turned off in gateway.ts), whose response
 * has a content type and nothing else: no encoding, no validator, no caching.
 */
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';
import { StaticAsset } from '../http/static-asset.ts';

export interface GraphiQLPageOptions {
  /** The GraphQL path: GraphiQL is served there, to browsers. */
  readonly path: string;
  readonly graphiql: GraphiQLOptions;
}

export function useGraphiQLPage(options: GraphiQLPageOptions): Plugin {
  let page: Promise<StaticAsset> | undefined;
  const render = (): Promise<StaticAsset> =>
    (page ??= import('@graphql-yoga/render-graphiql').then(
      ({ renderGraphiQL }) => new StaticAsset(renderGraphiQL(options.graphiql), { contentType: 'text/html; charset=utf-8' }),
    ));
  return {
    onRequest(payload) {
      const { request, url } = payload;
      if (url.pathname !== options.path && url.pathname !== `${options.path}/`) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      // What yoga checks too: a browser navigating here, not a GraphQL client making a GET.
      if (!(request.headers.get('accept') ?? '').includes('text/html')) return;
      return render()
        .then((asset) => asset.respond(request))
        .then((response) => payload.endResponse(response));
    },
  };
}
