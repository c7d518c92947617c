// The inbox's conversation list: its filters, pages (GET /conversations) and load state.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { client, unwrap } from '../api/client';
import type { Conversation, Filters, MatchedCustomer } from '../types';

const DEFAULT_FILTERS: Filters = { status: 'open', assignee: 'all', channel: '', q: '' };

/** Loads the first page again whenever a filter or `reloadTick` changes; search waits for a pause. */
export function useConversationList(reloadTick: number) {
  const [filters, setFilters] = useState<Filters>(DEFAULT_FILTERS);
  const [list, setList] = useState<Conversation[]>([]);
  const [matchedCustomers, setMatchedCustomers] = useState<MatchedCustomer[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;

  const listRequest = useRef(0);
  const loadList = useCallback(async (cursor: string | null) => {
    const req = ++listRequest.current;
    setLoading(true);
    setError(null);
    try {
      const f = filtersRef.current;
      const page = await unwrap(
        client.GET('/api/v1/conversations', {
          params: {
            query: {
              status: f.status === 'all' ? undefined : f.status,
              assignee: f.assignee === 'all' ? undefined : f.assignee,
              channel: f.channel || undefined,
              tag: f.tag || undefined,
              q: f.q.trim() || undefined,
              cursor: cursor ?? undefined,
            },
          },
        }),
      );
      if (req !== listRequest.current) return;
      if (!cursor) setMatchedCustomers(page.customers ?? []);
      setList((l) => {
        if (!cursor) return page.items;
        const seen = new Set(l.map((c) => c.id));
        return [...l, ...page.items.filter((c) => !seen.has(c.id))];
      });
      setNextCursor(page.nextCursor);
    } catch (err) {
      if (req === listRequest.current)
        setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      if (req === listRequest.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    // Typing in the search box waits for a pause; other filter changes load at once.
    const t = setTimeout(() => void loadList(null), filters.q ? 300 : 0);
    return () => clearTimeout(t);
  }, [
    filters.status,
    filters.assignee,
    filters.channel,
    filters.tag,
    filters.q,
    reloadTick,
    loadList,
  ]);

  return {
    filters,
    setFilters,
    filtersRef,
    list,
    setList,
    matchedCustomers,
    loading,
    error,
    hasMore: !!nextCursor,
    loadMore: () => void loadList(nextCursor),
  };
}
