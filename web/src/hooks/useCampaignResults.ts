// One campaign with its numbers, refreshed while it sends, and the launch controls.
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { AnswerOf } from '../api/answers';
import { client, unwrap } from '../api/client';

export type CampaignDetail = AnswerOf<'/api/v1/campaigns/{id}', 'get'>;
export type CampaignStats = AnswerOf<'/api/v1/campaigns/{id}/stats', 'get'>;
export type ChannelResult = CampaignStats['byChannel'][string];
export type AbMetric = NonNullable<CampaignStats['ab']>['metric'];
export type CampaignAction = 'pause' | 'resume' | 'cancel' | 'launch';

/** Statuses whose numbers still move: refreshed every few seconds. */
const MOVING = new Set(['running', 'scheduled']);
const REFRESH_MS = 3000;

export function useCampaignResults(id: string, metric: AbMetric) {
  const [campaign, setCampaign] = useState<CampaignDetail | null>(null);
  const [stats, setStats] = useState<CampaignStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const params = { path: { id } };
        const [c, s] = await Promise.all([
          unwrap(client.GET('/api/v1/campaigns/{id}', { params })),
          unwrap(
            client.GET('/api/v1/campaigns/{id}/stats', {
              params: { ...params, query: { metric } },
            }),
          ),
        ]);
        if (!live) return;
        setCampaign(c);
        setStats(s);
        setError(null);
        if (MOVING.has(s.status)) timer = setTimeout(load, REFRESH_MS);
      } catch (e) {
        if (live) setError(e instanceof Error ? e.message : String(e));
      }
    };
    void load();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [id, metric, reload]);

  const act = useCallback(
    async (action: CampaignAction) => {
      setBusy(true);
      try {
        const params = { params: { path: { id } } };
        if (action === 'launch')
          await unwrap(client.POST('/api/v1/campaigns/{id}/launch', { ...params, body: {} }));
        else if (action === 'pause')
          await unwrap(client.POST('/api/v1/campaigns/{id}/pause', params));
        else if (action === 'resume')
          await unwrap(client.POST('/api/v1/campaigns/{id}/resume', params));
        else await unwrap(client.POST('/api/v1/campaigns/{id}/cancel', params));
        setReload((n) => n + 1);
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      } finally {
        setBusy(false);
      }
    },
    [id],
  );

  return { campaign, stats, error, busy, act };
}

/** What a campaign in this status may be told to do next. */
export function actionsFor(status: CampaignStats['status']): CampaignAction[] {
  if (status === 'running' || status === 'scheduled') return ['pause', 'cancel'];
  if (status === 'paused') return ['resume', 'cancel'];
  return [];
}
