// Hash routes, so the backend only has to serve index.html at `/`:
//   #/                 inbox
//   #/c/<id>           inbox with a conversation open
//   #/reports          reports
//   #/campaigns        campaigns (the marketers' landing page)
//   #/campaigns/new    the campaign builder
//   #/campaigns/<id>   one campaign's progress and results
//   #/templates[/<key>] templates, the editor of one key
//   #/contacts[?view=tiers|?segment=<id>] contacts list (a saved segment open), or the tiers view
//   #/team             supervisors' live team view
//   #/contacts/<id>    one customer's page (marketers); #/contacts/import: CSV import
//   #/settings/<s>     settings, section s (users, teams, sla, canned, channels, routing)
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { name: 'inbox'; conversationId: string | null }
  | { name: 'reports' }
  | { name: 'campaigns'; campaignId: string | null }
  | { name: 'templates'; key: string | null }
  | { name: 'contacts'; view: 'list' | 'tiers'; segmentId: string | null }
  | { name: 'team' }
  | { name: 'contact'; customerId: string }
  | { name: 'contactImport' }
  | { name: 'settings'; section: string | null };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  if (path.startsWith('/reports')) return { name: 'reports' };
  if (/^\/contacts\/import\/?$/.test(path)) return { name: 'contactImport' };
  const contact = /^\/contacts\/([^/?#]+)/.exec(path);
  if (contact) return { name: 'contact', customerId: decodeURIComponent(contact[1]) };
  const contacts = /^\/contacts\/?(?:\?(.*))?$/.exec(path);
  if (contacts) {
    const query = new URLSearchParams(contacts[1] ?? '');
    return {
      name: 'contacts',
      view: query.get('view') === 'tiers' ? 'tiers' : 'list',
      segmentId: query.get('segment'),
    };
  }
  const campaign = /^\/campaigns(?:\/([^/?#]+))?/.exec(path);
  if (campaign)
    return { name: 'campaigns', campaignId: campaign[1] ? decodeURIComponent(campaign[1]) : null };
  const templates = /^\/templates(?:\/([^/?#]+))?/.exec(path);
  if (templates)
    return { name: 'templates', key: templates[1] ? decodeURIComponent(templates[1]) : null };
  const settings = /^\/settings(?:\/([\w-]+))?/.exec(path);
  if (settings) return { name: 'settings', section: settings[1] ?? null };
  if (path.startsWith('/team')) return { name: 'team' };
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
