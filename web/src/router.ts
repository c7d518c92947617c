// Hash routes, so the backend only has to serve index.html at `/`:
//   #/                 inbox
//   #/c/<id>           inbox with a conversation open
//   #/reports          reports (placeholder)
import { useEffect, useState } from 'preact/hooks';

export type Route = { name: 'inbox'; conversationId: string | null } | { name: 'reports' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  if (path.startsWith('/reports')) return { name: 'reports' };
  const m = /^\/c\/([^/?#]+)/.exec(path);
  return { name: 'inbox', conversationId: m ? decodeURIComponent(m[1]) : null };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return route;
}

export function navigate(hash: string): void {
  if (location.hash !== hash) location.hash = hash;
}
