// Response shapes of the analytics and campaign endpoints the reports page reads, and the loader.
import { api, ApiError } from '../api';

export type ServiceGroup = {
  key: string;
  conversations: number;
  firstResponseSeconds: { avg: number | null; p50: number | null };
  resolutionRate: number;
};
export type CsatWeek = { week: string; responses: number; average: number };
export type TierRow = { tier: string; customers: number; churnRisk: number };
export type ChannelStats = {
  sent: number;
  delivered: number;
  clicked: number;
  replied: number;
  cost: number;
};
export type CampaignStats = { byChannel: Record<string, ChannelStats>; cost: number };
export type CampaignSummary = { id: string; name: string; status: string };

/** A section's data, or the reason it could not be loaded (e.g. a marketer may not read service KPIs). */
export type Section<T> = { data: T } | { error: string };

export async function section<T>(load: () => Promise<T>): Promise<Section<T>> {
  try {
    return { data: await load() };
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) return { error: 'Not available for your role.' };
    return { error: e instanceof Error ? e.message : 'Failed to load.' };
  }
}

export async function loadCampaigns() {
  const list = await api<{ items: CampaignSummary[] }>('GET', '/api/v1/campaigns');
  return Promise.all(
    list.items.map(async (c) => {
      const s = await section(() => api<CampaignStats>('GET', `/api/v1/campaigns/${c.id}/stats`));
      return { ...c, stats: 'data' in s ? s.data : null };
    }),
  );
}

export { api };
