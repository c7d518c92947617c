import type { Socket } from 'socket.io';

type Handshake = Pick<Socket['handshake'], 'address' | 'headers'>;

/** Loopback and private networks: where a proxy in front of the hub would connect from. */
const PRIVATE =
  /^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.|::1$|f[cd][0-9a-f]{2}:|fe80:)/i;

/**
 * The client address a handshake counts against. From a peer on a private network (a proxy) it
 * is the last X-Forwarded-For hop, the one that proxy appended; from any other peer the header
 * is the client's own say and is ignored.
 */
export function clientAddress(handshake: Handshake): string {
  const peer = (handshake.address ?? '').replace(/^::ffff:/, '') || 'unknown';
  if (!PRIVATE.test(peer)) return peer;
  const forwarded = handshake.headers['x-forwarded-for'];
  const last = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .at(-1);
  return last ? last.replace(/^::ffff:/, '') : peer;
}
