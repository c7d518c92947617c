import type { Channel, Purpose } from '../common/names';

/** What the identity and consent check at queue time reads for (customer, channel, purpose). */
export interface SendCheck {
  /** The customer's identity of the channel's kind (an active one first, then the newest). */
  identity: { address: string; status: string } | null;
  /** The latest consent for (channel, purpose), or null when there is none. */
  consent: string | null;
}

/**
 * Why a send may not be queued, or null when it may: nothing leaves for an address the
 * customer does not have (or that is not active), or for a purpose they refused; marketing
 * needs an explicit grant.
 */
export function sendRefusal(channel: Channel, purpose: Purpose, check: SendCheck): string | null {
  if (check.identity === null) return `channel: the customer has no ${channel} identity`;
  if (check.identity.status !== 'active')
    return `channel: the customer's ${channel} address is ${check.identity.status}`;
  if (check.consent === 'revoked')
    return `channel: the customer revoked ${purpose} consent on ${channel}`;
  if (purpose === 'marketing' && check.consent !== 'granted')
    return `channel: no marketing consent on ${channel}`;
  return null;
}

/**
 * sendRefusal as an SQL condition over `identity_status`, `consent` and `purpose` columns,
 * so the statement that inserts the message refuses exactly what sendRefusal refuses.
 */
export const SEND_ALLOWED_SQL = `(identity_status = 'active' AND consent IS DISTINCT FROM 'revoked'
  AND (purpose <> 'marketing' OR consent = 'granted'))`;
