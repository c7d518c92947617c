import type { RouteChosen } from './decision';

/** A chosen route as the API shows it and as it is stored with the message. */
export interface RouteView {
  channel: string;
  address: string;
  sendAt: string;
  fallbacks: Array<{
    channel: string;
    address: string;
    afterSeconds: number;
    unless: 'delivered' | 'read';
    readWithinSeconds?: number;
  }>;
  reasons: string[];
}

export function routeView(d: RouteChosen): RouteView {
  return {
    channel: d.channel,
    address: d.address,
    sendAt: d.sendAt.toISOString(),
    fallbacks: d.fallbacks.map((f) => ({
      channel: f.channel,
      address: f.address,
      afterSeconds: f.afterSeconds,
      unless: f.unless,
      ...(f.readWithinSeconds !== undefined ? { readWithinSeconds: f.readWithinSeconds } : {}),
    })),
    reasons: d.reasons,
  };
}
