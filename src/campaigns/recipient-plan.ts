/** Turns one routed + rendered recipient into the rows the batch writes. Pure. */
import { randomUUID } from 'crypto';
import type { Channel, Suppression } from './campaign-types';
import type { RouteChosen } from '../routing/decision';
import { routeView, type RouteView } from '../routing/route-view';

export interface PlannedSend {
  messageId: string;
  customerId: string;
  channel: Channel;
  address: string;
  text: string;
  html: string | null;
  subject: string | null;
  template: string;
  variant: string | null;
  /** Stored as jsonb: the batch writer serializes the whole batch once. */
  route: RouteView;
  metadata: Record<string, unknown>;
  sendAt: Date | null;
  /** When the first fallback check runs (null = no fallback chain). */
  fallbackAt: Date | null;
  shortLinks: Array<{ code: string; url: string }>;
}

export interface PlannedSuppression {
  customerId: string;
  suppression: Suppression;
  variant: string | null;
  reasons: string[];
}

export function routeOf(d: RouteChosen): RouteView {
  return routeView(d);
}

export function newMessageId(): string {
  return randomUUID();
}
