import { useEffect, useState } from 'preact/hooks';
import type { AnswerOf } from '../api/answers';
import { client, unwrap } from '../api/client';
import type { TierName } from '../components/contacts/segment-draft';

export type AtRiskRow = AnswerOf<'/api/v1/contacts/at-risk', 'get'>['items'][number];
export type TierCounts = AnswerOf<'/api/v1/analytics/rfm/tiers', 'get'>['tiers'];

const PAGE = 10;

/** A tier's at-risk customers with the suggested channel, a page at a time. */
export function useAtRisk(tier: TierName) {
  const [rows, setRows] = useState<AtRiskRow[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fetchPage = (after: string | null) =>
    unwrap(
      client.GET('/api/v1/contacts/at-risk', {
        params: { query: { tier, limit: PAGE, ...(after ? { cursor: after } : {}) } },
      }),
    );
  useEffect(() => {
    let live = true;
    fetchPage(null)
      .then((p) => {
        if (!live) return;
        setRows(p.items);
        setCursor(p.nextCursor);
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [tier]);
  const loadMore = async () => {
    if (!cursor) return;
    try {
      const p = await fetchPage(cursor);
      setRows((r) => [...(r ?? []), ...p.items]);
      setCursor(p.nextCursor);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return { rows, error, hasMore: cursor !== null, loadMore };
}

/** Customers and at-risk customers per tier. */
export function useTierCounts(): TierCounts | null {
  const [tiers, setTiers] = useState<TierCounts | null>(null);
  useEffect(() => {
    unwrap(client.GET('/api/v1/analytics/rfm/tiers'))
      .then((r) => setTiers(r.tiers))
      .catch(() => setTiers([]));
  }, []);
  return tiers;
}
