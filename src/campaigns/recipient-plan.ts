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
  /** Stored as jsonb. */
  route: RouteView;
  metadata: Record<string, unknown>;
  sendAt: Date | null;
  /** When the first fallback check runs (null = no fallback chain). */
  fallbackAt: Date | null;
  /**
   * Not null: gathered into the customer's digest (no send of its own): their open digest, or
   * one opened due at this time when they have none when it is written.
   */
  digestDue: Date | null;
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

/**
 * UUIDv7s (RFC 9562): the millisecond first, then the random bits of a v4. A batch's messages
 * land side by side in the primary key index instead of on thousands of random pages.
 */
export function messageIds(at: Date): () => string {
  const ms = at.getTime().toString(16).padStart(12, '0');
  const prefix = `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7`;
  return () => prefix + randomUUID().slice(15);
}
