// A crisis broadcast's reach by channel and fallback hop, refreshed while anything may still move.
import { useEffect, useState } from 'preact/hooks';
import type { AnswerOf } from '../api/answers';
import { client, unwrap } from '../api/client';

export type CrisisReach = AnswerOf<'/api/v1/campaigns/{id}/reach', 'get'>;
export type ReachCell = CrisisReach['cells'][number];

const REFRESH_MS = 2000;

/**
 * Still moving: the fan-out runs, or a message waits on a receipt (its fallback may follow;
 * fallbacks go on after the campaign itself reads completed).
 */
export function reachMoving(r: CrisisReach): boolean {
  return r.status === 'running' || r.status === 'scheduled' || r.cells.some((c) => c.pending > 0);
}

export function useCrisisReach(id: string) {
  const [reach, setReach] = useState<CrisisReach | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const r = await unwrap(
          client.GET('/api/v1/campaigns/{id}/reach', { params: { path: { id } } }),
        );
        if (!live) return;
        setReach(r);
        setError(null);
        if (reachMoving(r)) timer = setTimeout(load, REFRESH_MS);
      } catch (e) {
        if (live) setError(e instanceof Error ? e.message : String(e));
      }
    };
    void load();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [id]);
  return { reach, error };
}

/** The grid: channels (rows) x hops (columns), each cell or undefined. Pure. */
export function reachGrid(r: CrisisReach): {
  hops: number[];
  channels: string[];
  cell: (channel: string, hop: number) => ReachCell | undefined;
} {
  const hops = [...new Set(r.cells.map((c) => c.hop))].sort((a, b) => a - b);
  const channels = [...new Set(r.cells.map((c) => c.channel))].sort();
  const at = new Map(r.cells.map((c) => [`${c.channel}/${c.hop}`, c]));
  return { hops, channels, cell: (channel, hop) => at.get(`${channel}/${hop}`) };
}
