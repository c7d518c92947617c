/**
 * The route of a due digest: one decision for all its items, on the customer's preferred
 * channel, for the purpose with the most checks among theirs. Pure; uses decideRoute as is.
 */
import type { Purpose } from '../../common/names';
import { decideRoute } from './decide-route';
import { digestItemRefusal, digestPurpose } from './digest-plan';
import type { CustomerRoutingContext, RouteChosen, RoutingPolicy } from './routing-types';

/** What the route of a digest reads about one of its items. */
export interface DigestRouteItem {
  id: string;
  purpose: Purpose;
  topic: string | null;
}

export interface DigestRoute {
  /** null: no item can go (each one is in dropped). */
  decision: RouteChosen | null;
  purpose: Purpose;
  topic: string;
  /** The items the digest carries, in their order. */
  kept: string[];
  /** The items left out, each with why (consent revoked since it was gathered, no route). */
  dropped: Array<{ id: string; reason: string }>;
}

/** The digest template's key: one template like any other (templates/digest). */
export const DIGEST_TEMPLATE = 'digest';

/**
 * Routes the digest for its strictest purpose (marketing if any item is marketing). When no
 * channel allows that purpose, its items are dropped with the decision's reasons and the rest
 * are routed again; on the chosen channel, an item whose own consent was revoked since is
 * dropped. The frequency cap is not applied again: each item counted against it when gathered.
 */
export function routeDigest(
  ctx: CustomerRoutingContext,
  items: readonly DigestRouteItem[],
  now: Date,
  policy: RoutingPolicy,
): DigestRoute {
  const uncapped: RoutingPolicy = {
    ...policy,
    frequencyCap: { perDay: Infinity, perWeek: Infinity },
  };
  const dropped: DigestRoute['dropped'] = [];
  let left = [...items];
  while (left.length > 0) {
    const purpose = digestPurpose(left.map((i) => i.purpose));
    const topic = commonTopic(left);
    const d = decideRoute(
      ctx,
      { topic, urgency: 'low', purpose, template: DIGEST_TEMPLATE },
      now,
      uncapped,
    );
    if (!d.ok) {
      const reason = `no route for a ${purpose} digest (${d.suppression}): ${d.reasons.join('; ')}`;
      for (const item of left) if (item.purpose === purpose) dropped.push({ id: item.id, reason });
      left = left.filter((i) => i.purpose !== purpose);
      continue;
    }
    const kept: string[] = [];
    for (const item of left) {
      const refusal = digestItemRefusal(ctx.consent, d.channel, item.purpose);
      if (refusal === null) kept.push(item.id);
      else dropped.push({ id: item.id, reason: refusal });
    }
    const keptItems = left.filter((i) => kept.includes(i.id));
    return {
      decision: kept.length > 0 ? d : null,
      purpose: keptItems.length > 0 ? digestPurpose(keptItems.map((i) => i.purpose)) : purpose,
      topic,
      kept,
      dropped,
    };
  }
  return { decision: null, purpose: 'transactional', topic: DIGEST_TEMPLATE, kept: [], dropped };
}

/** The items' topic when they share one (the preference matrix may have a row for it). */
function commonTopic(items: readonly DigestRouteItem[]): string {
  const first = items[0]?.topic ?? null;
  return first !== null && items.every((i) => i.topic === first) ? first : DIGEST_TEMPLATE;
}
