import { timingSafeEqual } from 'node:crypto';
import type { InboundRequest } from '../../src/channels/channel-port';

/** The inbound email webhook's check: the X-Webhook-Secret header equals the shared secret. */
export function verifyInboundSecret(request: InboundRequest, secret: string): boolean {
  const header = request.headers['x-webhook-secret'];
  const given = Array.isArray(header) ? header[0] : header;
  if (!given || !secret) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}
