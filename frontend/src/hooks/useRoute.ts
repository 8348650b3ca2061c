import { useEffect, useState } from 'preact/hooks';

// Hash routes work the same under the Wails asset server and `reelvault serve`, and keep
// every path the Go handler sees an API path. A new page adds a case to Route, a pattern to
// `pages` and an entry to Nav.tsx.
export type Route = { page: 'library' } | { page: 'asset'; id: string } | { page: 'live' } | { page: 'webhooks' } | { page: 'shared' } | { page: 'settings' };

// Pages without parameters: their hash is `#/` followed by the page name.
const pages = ['live', 'webhooks', 'shared', 'settings'] as const;

export function parseRoute(hash: string): Route {
  const match = /^#\/assets\/([^/?#]+)/.exec(hash);
  if (match?.[1]) return { page: 'asset', id: decodeURIComponent(match[1]) };
  const page = pages.find((name) => hash === `#/${name}` || hash.startsWith(`#/${name}/`) || hash.startsWith(`#/${name}?`));
  if (page) return { page };
  return { page: 'library' };
}

export function hrefFor(route: Route): string {
  switch (route.page) {
    case 'asset':
      return `#/assets/${encodeURIComponent(route.id)}`;
    case 'library':
      return '#/';
    default:
      return `#/${route.page}`;
  }
}

export function navigate(route: Route): void {
  window.location.hash = hrefFor(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    update(); // the hash may have changed between the first render and this effect
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
