import type { CsvCell } from '../analytics/csv';
import { CHANNELS } from '../common/names';
import type { ContactRow } from './contacts.repository';

/** The columns of the contacts export (machine names: a spreadsheet or an import reads them). */
export const CONTACTS_CSV_HEADER = [
  'id',
  'name',
  'email',
  'phone',
  'wechat',
  'tags',
  'tier',
  'churn_risk',
  ...CHANNELS.map((c) => `marketing_consent_${c}`),
  'last_contact_at',
];

export function contactCsvRow(c: ContactRow): CsvCell[] {
  const address = (kind: string) => c.identities.find((i) => i.kind === kind)?.address ?? '';
  return [
    c.id,
    c.name,
    address('email'),
    address('phone'),
    address('wechat'),
    c.tags.join(';'),
    c.tier ?? '',
    c.churnRisk === null ? '' : String(c.churnRisk),
    ...CHANNELS.map((ch) => c.marketingConsent[ch]),
    c.lastContactAt ? new Date(c.lastContactAt).toISOString() : '',
  ];
}
