import { useCallback, useEffect, useState } from 'react';

/** The app's few places: a conversation (or a new one) and the low-rated answers list. */
export type Route = { view: 'chat'; conversationId: string | null } | { view: 'feedback' };

export function parseRoute(pathname: string): Route {
  if (pathname === '/feedback') return { view: 'feedback' };
  const m = /^\/c\/([^/]+)\/?$/.exec(pathname);
  if (m?.[1]) return { view: 'chat', conversationId: decodeURIComponent(m[1]) };
  return { view: 'chat', conversationId: null };
}

export function routePath(route: Route): string {
  if (route.view === 'feedback') return '/feedback';
  return route.conversationId ? `/c/${encodeURIComponent(route.conversationId)}` : '/';
}

/** History-API routing; the server falls back to index.html for these paths, so reloads work. */
export function useRoute(): [Route, (route: Route, options?: { replace?: boolean }) => void] {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.pathname));
  useEffect(() => {
    const onPop = () => setRoute(parseRoute(location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((next: Route, options: { replace?: boolean } = {}) => {
    const path = routePath(next);
    if (path !== location.pathname) {
      if (options.replace) history.replaceState(null, '', path);
      else history.pushState(null, '', path);
    }
    setRoute(next);
  }, []);
  return [route, navigate];
}
