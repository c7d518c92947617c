/** The channel routing would pick now for a marketing message to a customer. Pure. */
import { CHANNELS, type Channel } from '../common/names';
import {
  decideRoute,
  type CustomerRoutingContext,
  type MessageIntent,
  type RoutingPolicy,
  type Suppression,
} from './decision';

export type MarketingSuggestion =
  | {
      ok: true;
      channel: Channel;
      address: string;
      sendAt: string;
      delayed: boolean;
      reasons: string[];
    }
  | { ok: false; suppression: Suppression; reasons: string[] };

/** A normal-urgency marketing message of no particular topic, as if every channel had a template. */
const MARKETING_NOW: MessageIntent = {
  topic: '*',
  urgency: 'normal',
  purpose: 'marketing',
  template: '(suggestion)',
};
const EVERY_CHANNEL: ReadonlySet<Channel> = new Set(CHANNELS);

/** The routing engine's own decision on the loaded context: the same one a campaign send makes. */
export function marketingSuggestion(
  context: Omit<CustomerRoutingContext, 'templateChannels'>,
  policy: RoutingPolicy,
  now: Date,
): MarketingSuggestion {
  const d = decideRoute(
    { ...context, templateChannels: EVERY_CHANNEL },
    MARKETING_NOW,
    now,
    policy,
  );
  return d.ok
    ? {
        ok: true,
        channel: d.channel,
        address: d.address,
        sendAt: d.sendAt.toISOString(),
        delayed: d.delayed,
        reasons: d.reasons,
      }
    : { ok: false, suppression: d.suppression, reasons: d.reasons };
}
