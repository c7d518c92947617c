import { useEffect, useState } from 'preact/hooks';
import type { AnswerOf } from './api/answers';
import { client, unwrap } from './api/client';

export type CampaignListItem = AnswerOf<'/api/v1/campaigns', 'get'>['items'][number];

const LIVE = new Set(['running', 'scheduled']);

/** The newest campaigns, refreshed every few seconds while one is running or scheduled. */
export function useCampaigns(): { items: CampaignListItem[] | null; error: string | null } {
  const [items, setItems] = useState<CampaignListItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const r = await unwrap(client.GET('/api/v1/campaigns'));
        if (!live) return;
        setItems(r.items);
        setError(null);
        if (r.items.some((c) => LIVE.has(c.status))) timer = setTimeout(load, 3000);
      } catch (e) {
        if (live) setError(e instanceof Error ? e.message : String(e));
      }
    };
    void load();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, []);
  return { items, error };
}

/** Share of the audience handled so far (sent or suppressed), 0..1; null before recipients are known. */
export function handledShare(p: CampaignListItem['progress']): number | null {
  if (p.recipients <= 0) return null;
  return Math.min(1, (p.sent + p.suppressed) / p.recipients);
}
