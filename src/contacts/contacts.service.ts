import { Injectable } from '@nestjs/common';
import { segmentSql } from '../campaigns/segment';
import { RoutingContextRepository } from '../routing/routing-context.repository';
import { RoutingPolicyProvider } from '../routing/routing-policy';
import { marketingSuggestion } from '../routing/marketing-suggestion';
import { csvChunks } from '../analytics/csv';
import { contactCsvRow, CONTACTS_CSV_HEADER } from './contacts-csv';
import {
  atRiskSegment,
  decodeIdCursor,
  encodeIdCursor,
  type AtRiskQuery,
  type ContactsFilter,
  type ContactsPageQuery,
} from './contacts.query';
import { CONTACTS_COUNT_CAP, ContactsRepository, type ContactRow } from './contacts.repository';

/** Rows read per statement while exporting. */
const EXPORT_BATCH = 500;

@Injectable()
export class ContactsService {
  constructor(
    private readonly contacts: ContactsRepository,
    private readonly contexts: RoutingContextRepository,
    private readonly policy: RoutingPolicyProvider,
  ) {}

  async page(query: ContactsPageQuery) {
    const segment = query.segment ?? {};
    const after = decodeIdCursor(query.cursor);
    const [rows, total] = await Promise.all([
      this.contacts.page(segment, query.q || undefined, after, query.limit + 1),
      this.contacts.count(segment, query.q || undefined),
    ]);
    const items = rows.slice(0, query.limit);
    return {
      items,
      nextCursor: rows.length > query.limit ? encodeIdCursor(items[items.length - 1].id) : null,
      total: Math.min(total, CONTACTS_COUNT_CAP),
      totalCapped: total > CONTACTS_COUNT_CAP,
      totalCap: CONTACTS_COUNT_CAP,
    };
  }

  /** The filtered list as CSV text chunks, read a batch at a time as the client takes them. */
  csv(filter: ContactsFilter): AsyncGenerator<string> {
    return csvChunks(CONTACTS_CSV_HEADER, this.batches(filter));
  }

  private async *batches(filter: ContactsFilter) {
    let after: string | null = null;
    for (;;) {
      const rows: ContactRow[] = await this.contacts.page(
        filter.segment ?? {},
        filter.q || undefined,
        after,
        EXPORT_BATCH,
      );
      yield rows.map(contactCsvRow);
      if (rows.length < EXPORT_BATCH) return;
      after = rows[rows.length - 1].id;
    }
  }

  /**
   * A tier's customers at risk of churning, each with the channel routing picks now for a
   * marketing message: the routing contexts of the whole page in one statement (the campaign
   * batches' read), the engine's pure decision on each.
   */
  async atRisk(query: AtRiskQuery, now = new Date()) {
    const segment = atRiskSegment(query.tier);
    const loaded = await this.contexts.page(
      (offset) => segmentSql(segment, offset),
      decodeIdCursor(query.cursor),
      query.limit + 1,
      now,
    );
    const page = loaded.slice(0, query.limit);
    const tiers = await this.contacts.tiers(page.map((l) => l.context.customerId));
    const policy = this.policy.current(now.getTime());
    return {
      items: page.map((l) => ({
        id: l.context.customerId,
        name: l.displayName,
        tier: tiers.get(l.context.customerId) ?? query.tier ?? '',
        suggestion: marketingSuggestion(l.context, policy, now),
      })),
      nextCursor:
        loaded.length > query.limit
          ? encodeIdCursor(page[page.length - 1].context.customerId)
          : null,
    };
  }
}
