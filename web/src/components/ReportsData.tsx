// Response shapes of the analytics and campaign endpoints the reports page reads, and the loader.
import { ApiError } from '../api';
import { client, unwrap } from '../api/client';
import type { AnswerOf } from '../api/answers';
import { t } from '../i18n';

export type ServiceGroup = AnswerOf<'/api/v1/analytics/service', 'get'>['groups'][number];
export type CsatWeek = AnswerOf<'/api/v1/analytics/csat', 'get'>['weeks'][number];
export type CsatPage = AnswerOf<'/api/v1/analytics/csat/responses', 'get'>;
export type CsatAnswer = CsatPage['items'][number];
export type TierRow = AnswerOf<'/api/v1/analytics/rfm/tiers', 'get'>['tiers'][number];
export type CampaignStats = AnswerOf<'/api/v1/campaigns/{id}/stats', 'get'>;
export type ChannelStats = CampaignStats['byChannel'][string];
export type CampaignSummary = AnswerOf<'/api/v1/campaigns', 'get'>['items'][number];

/** A section's data, or the reason it could not be loaded (e.g. a marketer may not read service KPIs). */
export type Section<T> = { data: T } | { error: string };

export async function section<T>(load: () => Promise<T>): Promise<Section<T>> {
  try {
    return { data: await load() };
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) return { error: t('reports.forbidden') };
    return { error: e instanceof Error ? e.message : t('reports.failed') };
  }
}

export async function loadCampaigns() {
  const list = await unwrap(client.GET('/api/v1/campaigns'));
  return Promise.all(
    list.items.map(async (c) => {
      const s = await section(() =>
        unwrap(client.GET('/api/v1/campaigns/{id}/stats', { params: { path: { id: c.id } } })),
      );
      return { id: c.id, name: c.name, status: c.status, stats: 'data' in s ? s.data : null };
    }),
  );
}
