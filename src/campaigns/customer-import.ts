/**
 * Streaming customer import: CSV rows -> normalized identities -> new customers, with every
 * rejected row reported with its reasons. Rows whose address already belongs to a customer
 * (in the database, or earlier in the same file, which is in the database by then) are
 * rejected as duplicates. Reads one row at a time: memory stays flat on large files.
 */
import { parse } from 'csv-parse';
import type { Readable } from 'stream';
import { DomainError } from '../common/errors/domain-error';
import type { Channel } from '../common/names';
import type { ConsentService } from '../consent/consent.service';
import { normalizeAddress } from '../customers/address';
import type { CreateCustomerInput } from '../customers/customer.dto';
import type { CustomersService } from '../customers/customers.service';
import type { IdentityOwnersRepository } from '../customers/identity-owners.repository';
import { isKnownTimezone } from '../routing/decision';

export interface ImportRejection {
  line: number;
  reasons: string[];
}

export interface ImportSummary {
  rows: number;
  imported: number;
  rejected: ImportRejection[];
}

const IDENTITY_COLUMNS: ReadonlyArray<[string, Channel]> = [
  ['email', 'email'],
  ['phone', 'sms'],
  ['wechat', 'wechat'],
];
const KNOWN = new Set([
  'name',
  'email',
  'phone',
  'wechat',
  'locale',
  'timezone',
  'tags',
  'marketing_email',
  'marketing_sms',
  'marketing_wechat',
  'marketing_whatsapp',
]);
const YES = new Set(['yes', 'y', 'true', '1']);
/** Other spellings of the known columns, compared without case, spaces, dashes or underscores. */
const ALIASES: Record<string, string> = {
  displayname: 'name',
  fullname: 'name',
  customername: 'name',
  emailaddress: 'email',
  mail: 'email',
  mobile: 'phone',
  mobilephone: 'phone',
  phonenumber: 'phone',
  cell: 'phone',
  tel: 'phone',
  telephone: 'phone',
  sms: 'phone',
  wechatid: 'wechat',
  weixin: 'wechat',
  language: 'locale',
  lang: 'locale',
  tz: 'timezone',
  tag: 'tags',
};

const KNOWN_SQUASHED = new Map([...KNOWN].map((k) => [k.replace(/_/g, ''), k]));

/**
 * A header cell as the importer reads it: a known column by any of its spellings, else an
 * attribute named as given, with spaces as underscores so a segment can name it.
 */
export function headerColumn(cell: string): string {
  const given = cell.trim().toLowerCase();
  const squashed = given.replace(/[\s_-]+/g, '');
  return ALIASES[squashed] ?? KNOWN_SQUASHED.get(squashed) ?? given.replace(/\s+/g, '_');
}

/**
 * The whole header, or a refusal naming what is missing: without a name column or any identity
 * column every row would be rejected for the same reason, so the file is refused at once.
 */
export function readHeader(cells: string[]): string[] {
  const columns = cells.map(headerColumn);
  const missing: string[] = [];
  if (!columns.includes('name')) missing.push('a name column (name or displayName)');
  if (!IDENTITY_COLUMNS.some(([c]) => columns.includes(c)))
    missing.push('at least one of email, phone, wechat');
  if (missing.length)
    throw new DomainError(
      'bad_request',
      `header: needs ${missing.join(' and ')}; it has ${cells.map((c) => JSON.stringify(c.trim())).join(', ')}`,
    );
  return columns;
}

export interface ParsedRow {
  displayName: string;
  locale?: string;
  timezone?: string;
  tags: string[];
  identities: Array<{ channel: Channel; kind: string; address: string }>;
  attributes: Record<string, unknown>;
  marketing: Channel[];
}

/** Validates and normalizes one CSV record; pure. */
export function parseRow(
  rec: Record<string, string>,
  defaultRegion?: string,
): { row?: ParsedRow; reasons: string[] } {
  const reasons: string[] = [];
  const name = (rec.name ?? '').trim();
  if (!name) reasons.push('name: missing');
  const identities: ParsedRow['identities'] = [];
  for (const [column, channel] of IDENTITY_COLUMNS) {
    const raw = (rec[column] ?? '').trim();
    if (!raw) continue;
    try {
      identities.push({ channel, ...normalizeAddress(channel, raw, column, defaultRegion) });
    } catch (e) {
      reasons.push(e instanceof DomainError ? e.message : `${column}: ${(e as Error).message}`);
    }
  }
  if (identities.length === 0 && !reasons.some((r) => /^(email|phone|wechat):/.test(r)))
    reasons.push('email/phone/wechat: at least one is required');
  const timezone = (rec.timezone ?? '').trim() || undefined;
  if (timezone && !isKnownTimezone(timezone))
    reasons.push(`timezone: "${timezone}" is not an IANA timezone`);
  const locale = (rec.locale ?? '').trim() || undefined;
  if (locale && !/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(locale))
    reasons.push(`locale: "${locale}" is not a language tag`);
  if (reasons.length > 0) return { reasons };
  const attributes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec)) {
    if (KNOWN.has(k) || v === undefined || v === '') continue;
    attributes[k] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  }
  const marketing: Channel[] = [];
  if (YES.has((rec.marketing_email ?? '').trim().toLowerCase())) marketing.push('email');
  if (YES.has((rec.marketing_sms ?? '').trim().toLowerCase())) marketing.push('sms');
  if (YES.has((rec.marketing_wechat ?? '').trim().toLowerCase())) marketing.push('wechat');
  if (YES.has((rec.marketing_whatsapp ?? '').trim().toLowerCase())) marketing.push('whatsapp');
  const tags = (rec.tags ?? '')
    .split(/[;|]/)
    .map((t) => t.trim())
    .filter(Boolean);
  return {
    row: { displayName: name, locale, timezone, tags, identities, attributes, marketing },
    reasons,
  };
}

export class CustomerImporter {
  constructor(
    private readonly identities: IdentityOwnersRepository,
    private readonly customers: CustomersService,
    private readonly consents: ConsentService,
  ) {}

  /**
   * `onRow` runs after each row (awaited when it returns a promise), `onRejected` with each
   * rejected row and its cells as read (keyed by column), before `onRow`.
   */
  async run(
    input: Readable,
    onRow: (summary: ImportSummary) => void | Promise<void> = () => undefined,
    source = 'csv-import',
    onRejected?: (rejection: ImportRejection, record: Record<string, string>) => Promise<void>,
  ): Promise<ImportSummary> {
    const summary: ImportSummary = { rows: 0, imported: 0, rejected: [] };
    const parser = input.pipe(
      parse({
        columns: readHeader,
        bom: true,
        skip_empty_lines: true,
        trim: false,
        relax_column_count: true,
        info: true,
      }),
    );
    for await (const item of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      summary.rows += 1;
      const line = item.info.lines;
      const { row, reasons } = parseRow(item.record);
      const before = summary.rejected.length;
      if (!row) {
        summary.rejected.push({ line, reasons });
      } else {
        const dupes = await this.owners(row);
        if (dupes.length > 0) {
          summary.rejected.push({
            line,
            reasons: dupes.map(
              (d) =>
                `duplicate: ${d.channel}:${d.address} already belongs to customer ${d.customerId}`,
            ),
          });
        } else {
          try {
            const input: CreateCustomerInput = {
              displayName: row.displayName,
              locale: row.locale,
              timezone: row.timezone,
              identities: row.identities.map((i) => ({ channel: i.channel, address: i.address })),
              attributes: row.attributes,
              tags: row.tags,
            } as CreateCustomerInput;
            const created = await this.customers.create(input);
            for (const channel of row.marketing) {
              await this.consents.record({
                customerId: created.id,
                channel,
                purpose: 'marketing',
                status: 'granted',
                source,
                evidence: { line },
              });
            }
            summary.imported += 1;
          } catch (e) {
            summary.rejected.push({
              line,
              reasons: [e instanceof DomainError ? e.message : (e as Error).message],
            });
          }
        }
      }
      if (onRejected && summary.rejected.length > before)
        await onRejected(summary.rejected[summary.rejected.length - 1], item.record);
      await onRow(summary);
    }
    return summary;
  }

  private async owners(
    row: ParsedRow,
  ): Promise<Array<{ channel: string; address: string; customerId: string }>> {
    const owners = await this.identities.ownersOf(row.identities);
    return owners.map((o) => ({
      channel:
        row.identities.find((i) => i.kind === o.kind && i.address === o.address)?.channel ?? o.kind,
      address: o.address,
      customerId: o.customerId,
    }));
  }
}
