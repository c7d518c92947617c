import { useEffect, useRef, useState } from 'preact/hooks';
import type { AnswerOf } from '../api/answers';
import { client, unwrap } from '../api/client';
import type { Segment } from '../components/contacts/segment-draft';

export type ContactsPage = AnswerOf<'/api/v1/contacts', 'get'>;
export type ContactRow = ContactsPage['items'][number];

const PAGE = 30;

/** The contacts a segment and a search select: the first page and count (typing settles first), then more. */
export function useContacts(segment: Segment, q: string) {
  const [rows, setRows] = useState<ContactRow[] | null>(null);
  const [count, setCount] = useState<{ total: number; capped: boolean } | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const key = JSON.stringify([segment, q.trim()]);
  const current = useRef(key);

  const fetchPage = (after: string | null) =>
    unwrap(
      client.GET('/api/v1/contacts', {
        params: {
          query: {
            segment: JSON.stringify(segment),
            ...(q.trim() ? { q: q.trim() } : {}),
            ...(after ? { cursor: after } : {}),
            limit: PAGE,
          },
        },
      }),
    );

  useEffect(() => {
    current.current = key;
    setLoading(true);
    const timer = setTimeout(() => {
      fetchPage(null)
        .then((page) => {
          if (current.current !== key) return;
          setRows(page.items);
          setCursor(page.nextCursor);
          setCount({ total: page.total, capped: page.totalCapped });
          setError(null);
        })
        .catch((e: unknown) => {
          if (current.current === key) setError(e instanceof Error ? e.message : String(e));
        })
        .finally(() => {
          if (current.current === key) setLoading(false);
        });
    }, 250);
    return () => clearTimeout(timer);
  }, [key]);

  const loadMore = async () => {
    if (!cursor) return;
    setLoading(true);
    try {
      const page = await fetchPage(cursor);
      if (current.current !== key) return;
      setRows((r) => [...(r ?? []), ...page.items]);
      setCursor(page.nextCursor);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  };

  return { rows, count, hasMore: cursor !== null, loadMore, loading, error };
}
