// The crisis broadcast flow: the group's live count, the draft, and the confirmed launch.
import { useEffect, useState } from 'preact/hooks';
import type { AnswerOf, BodyOf } from '../api/answers';
import { client, unwrap } from '../api/client';

export type CrisisBody = BodyOf<'/api/v1/campaigns/crisis', 'post'>;
export type CrisisCampaign = AnswerOf<'/api/v1/campaigns/crisis', 'post'>;
export type Segment = CrisisBody['segment'];
export const LEGAL_BASES = [
  'vital_interest',
  'legal_obligation',
  'public_task',
  'contract',
  'legitimate_interest',
] as const;
export const TIERS = ['core', 'potential', 'regular', 'edge'] as const;

/** The segment from the form's simple fields: tags (comma-separated) and a tier. Pure. */
export function segmentOf(tags: string, tier: string): Segment {
  const list = tags
    .split(/[,，]/)
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    ...(list.length ? { tags: list } : {}),
    ...(tier ? { tier: tier as (typeof TIERS)[number] } : {}),
  };
}

/** How many customers the segment reaches now (debounced while typing). */
export function useSegmentCount(segment: Segment): number | null {
  const [n, setN] = useState<number | null>(null);
  const key = JSON.stringify(segment);
  useEffect(() => {
    let live = true;
    setN(null);
    const timer = setTimeout(() => {
      unwrap(client.POST('/api/v1/campaigns/segments/preview', { body: { segment } }))
        .then((r) => live && setN(r.count))
        .catch(() => live && setN(null));
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key]);
  return n;
}

export async function createCrisis(body: CrisisBody): Promise<CrisisCampaign> {
  return unwrap(client.POST('/api/v1/campaigns/crisis', { body }));
}

/** Launches with the confirmation (the broadcast's name). */
export async function launchCrisis(id: string, confirm: string): Promise<void> {
  await unwrap(
    client.POST('/api/v1/campaigns/{id}/launch', { params: { path: { id } }, body: { confirm } }),
  );
}

/** A draft left behind (the flow went back to editing): cancelled, so it cannot be launched. */
export async function dropDraft(id: string): Promise<void> {
  await unwrap(client.POST('/api/v1/campaigns/{id}/cancel', { params: { path: { id } } }));
}
