import { useEffect, useState } from 'preact/hooks';

// Hash routes work the same under the Wails asset server and `reelvault serve`, and keep
// every path the Go handler sees an API path. Later pages (live, webhooks...) add cases here.
export type Route = { page: 'library' } | { page: 'asset'; id: string };

export function parseRoute(hash: string): Route {
  const match = /^#\/assets\/([^/?#]+)/.exec(hash);
  if (match?.[1]) return { page: 'asset', id: decodeURIComponent(match[1]) };
  return { page: 'library' };
}

export function hrefFor(route: Route): string {
  return route.page === 'asset' ? `#/assets/${encodeURIComponent(route.id)}` : '#/';
}

export function navigate(route: Route): void {
  window.location.hash = hrefFor(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
