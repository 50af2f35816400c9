import { useEffect, useState } from 'react';

/**
 * Hash routes, the same strings notifications carry (`lead/<id>`, `thread/<id>`): they work under
 * file:// in Electron and over http in the host, and survive a reload.
 */
export type Route =
  | { view: 'home' }
  | { view: 'leads'; leadId: string | null }
  | { view: 'threads'; threadId: string | null }
  | { view: 'pages' }
  | { view: 'settings' };

export function parseRoute(hash: string): Route {
  const [head = '', arg] = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  switch (head) {
    case 'leads':
      return { view: 'leads', leadId: null };
    case 'lead':
      return { view: 'leads', leadId: arg || null };
    case 'threads':
    case 'thread':
      return { view: 'threads', threadId: arg || null };
    case 'pages':
      return { view: 'pages' };
    case 'settings':
      return { view: 'settings' };
    default:
      return { view: 'home' };
  }
}

export function navigate(route: string): void {
  location.hash = `#/${route.replace(/^#?\/?/, '')}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
