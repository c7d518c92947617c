/**
 * The proof-of-notice CSV of a crisis broadcast (for regulators and audits): one row per
 * attempt per recipient, with the fallback that led to it, the provider's receipts with their
 * times, and the legal basis the notice rests on (legal-basis.ts). Pure: rows in, CSV lines out
 * (spreadsheet formula cells escaped by csvCell).
 *
 * Addresses are masked by default (138****5678, c***@example.com: enough to match a complaint
 * with the customer record, not a contact list if the file travels); `address=full` gives them
 * as sent, for a regulator who needs them, and every export is audited with its mode.
 */
import { csvCell, type CsvCell } from '../../analytics/csv';
import { maskAddress } from '../../preferences/address-mask';
import type { NoticeRow } from './crisis.repository';
import { noticeBasis } from './legal-basis';

export const NOTICE_HEADER = [
  'campaign_id',
  'customer_id',
  'customer_name',
  'hop',
  'channel',
  'address',
  'message_id',
  'message_status',
  'fallback_reason',
  'attempt_no',
  'attempt_at',
  'attempt_status',
  'error_code',
  'provider_message_id',
  'sent_at',
  'delivered_at',
  'read_at',
  'failed_at',
  'legal_basis',
  'consent_entry_id',
  'consent_status',
  'consent_at',
  'suppression',
];

const iso = (d: Date | string | null | undefined): string | null =>
  d ? new Date(d).toISOString() : null;

function shown(channel: string | null, address: string | null, full: boolean): string | null {
  if (address === null) return null;
  if (full) return address;
  return maskAddress(
    channel === 'email' ? 'email' : channel === 'sms' || channel === 'voice' ? 'phone' : 'id',
    address,
  );
}

export function noticeLine(
  campaignId: string,
  legalBasis: string | null,
  r: NoticeRow,
  fullAddress: boolean,
): string {
  const suppressed = r.recipient_status === 'suppressed';
  const basis = suppressed
    ? null
    : noticeBasis(
        r.consent_id && r.consent_status ? { id: r.consent_id, status: r.consent_status } : null,
        legalBasis,
      );
  const cells: CsvCell[] = [
    campaignId,
    r.customer_id,
    r.display_name,
    r.hop,
    r.channel,
    shown(r.channel, r.attempt_address ?? r.message_address, fullAddress),
    r.message_id,
    r.message_status,
    r.fallback_reason,
    r.attempt_no,
    iso(r.attempt_at),
    r.attempt_status,
    r.error_code,
    r.provider_message_id,
    iso(r.sent_at),
    iso(r.delivered_at),
    iso(r.read_at),
    iso(r.failed_at),
    basis?.basis ?? null,
    basis?.consentEntryId ?? null,
    basis?.consentStatus ?? null,
    iso(r.consent_at),
    suppressed ? [r.suppression, ...(r.reasons ?? [])].filter(Boolean).join('; ') : null,
  ];
  return cells.map(csvCell).join(',');
}

export function noticeHeaderLine(): string {
  return NOTICE_HEADER.map(csvCell).join(',');
}
