/**
 * Which legal basis a crisis broadcast's notice rests on, per recipient and channel. Pure.
 *
 * The rule (DESIGN.md: "every outbound message checks consent for its channel and purpose;
 * opt-outs take effect at once"):
 * - consent granted for the channel and the broadcast's purpose, in force when the attempt
 *   was made (the consent ledger is append-only: the latest entry before the attempt): the
 *   basis is `consent`, with that ledger entry's id;
 * - no consent recorded for that channel and purpose: the basis stated on the broadcast
 *   (vital_interest, legal_obligation, public_task, contract or legitimate_interest), which
 *   service and transactional messages may rely on;
 * - consent revoked: the stated basis does NOT override an opt-out. Routing skips a revoked
 *   channel (decide-route.ts) and the broadcast moves on to the customer's next channel; the
 *   export still names the revoking entry should one show (revoked after the attempt was routed).
 */
export const LEGAL_BASES = [
  'vital_interest',
  'legal_obligation',
  'public_task',
  'contract',
  'legitimate_interest',
] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

export interface ConsentInForce {
  id: string;
  status: 'granted' | 'revoked';
}

export interface NoticeBasis {
  /** `consent`, or the broadcast's stated basis. */
  basis: string;
  /** The consent ledger entry the basis rests on, or the one that revoked it; null when none. */
  consentEntryId: string | null;
  consentStatus: 'granted' | 'revoked' | null;
}

export function noticeBasis(consent: ConsentInForce | null, stated: string | null): NoticeBasis {
  if (consent?.status === 'granted')
    return { basis: 'consent', consentEntryId: consent.id, consentStatus: 'granted' };
  return {
    basis: stated ?? 'none',
    consentEntryId: consent?.id ?? null,
    consentStatus: consent?.status ?? null,
  };
}
