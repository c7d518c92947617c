import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

type Row = Record<string, unknown>;

/** The customer erased and every customer merged into it earlier (their rows stay, blanked). */
export interface ErasureScope {
  customerId: string;
  /** The customer and its merged duplicates, at any depth. */
  customerIds: string[];
  /** Every address they were reached at or wrote from, lower-cased. */
  addresses: string[];
  /** Their display names as they were. */
  names: string[];
  /** Provider ids of their messages (a call's CallSid...), which jobs about them carry. */
  providerIds: string[];
}

/** An outbox row deleted by an erasure: its queue job, if still in the queue, goes too. */
export interface ErasedJob {
  id: string;
  queue: string;
  runAt: Date;
}

export interface ErasureCounts {
  customers: number;
  identities: number;
  messages: number;
  attachments: number;
  jobs: number;
  digests: number;
}

/** Digest reason and item reason of a digest cancelled by an erasure. */
export const ERASED_DIGEST_REASON = 'customer erased';

/**
 * What a customer's personal data is, table by table (every migration read), and the
 * statements that remove it. Rows that aggregates count (messages, attempts, conversations,
 * consents, recipients, tracking events, conversions, CSAT, RFM) stay with their content
 * removed; rows that are only personal data (identities, attachments, short links, job rows
 * naming the customer) are deleted.
 */
@Injectable()
export class PrivacyRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  async customer(customerId: string): Promise<Row | undefined> {
    const rows = (await this.db.query(`SELECT * FROM customers WHERE id = $1`, [
      customerId,
    ])) as Row[];
    return rows[0];
  }

  /** The data held on one customer, for the export. */
  async exportOf(customerId: string) {
    const q = (sql: string) => this.db.query(sql, [customerId]) as Promise<Row[]>;
    return {
      identities: await q(
        `SELECT * FROM customer_identities WHERE customer_id = $1 ORDER BY created_at`,
      ),
      consents: await q(`SELECT * FROM consents WHERE customer_id = $1 ORDER BY seq`),
      preferenceChanges: await q(
        `SELECT * FROM preference_changes WHERE customer_id = $1 ORDER BY seq`,
      ),
      conversations: await q(
        `SELECT * FROM conversations WHERE customer_id = $1 ORDER BY created_at`,
      ),
      // search_text is the index's lower-cased copy of text, not data of its own.
      messages: (await q(`SELECT * FROM messages WHERE customer_id = $1 ORDER BY seq`)).map(
        ({ search_text: _copy, ...m }) => m,
      ),
      csat: await q(`SELECT * FROM csat_responses WHERE customer_id = $1 ORDER BY created_at`),
    };
  }

  /**
   * Locks the customer and the customers merged into it (merges lock customers too, so none
   * joins the family meanwhile) and reads what identifies them. Undefined when there is no
   * such customer.
   */
  async lockScope(m: EntityManager, customerId: string): Promise<ErasureScope | undefined> {
    const family = (await m.query(
      `WITH RECURSIVE family AS (
         SELECT id FROM customers WHERE id = $1
         UNION SELECT c.id FROM customers c JOIN family f ON c.merged_into_id = f.id
       )
       SELECT c.id, c.display_name FROM customers c JOIN family USING (id) ORDER BY c.id FOR UPDATE OF c`,
      [customerId],
    )) as Array<{ id: string; display_name: string }>;
    if (!family.some((c) => c.id === customerId)) return undefined;
    const customerIds = family.map((c) => c.id);
    const addresses = (await m.query(
      `SELECT DISTINCT lower(a) AS address FROM (
         SELECT address AS a FROM customer_identities WHERE customer_id = ANY($1::uuid[])
         UNION ALL SELECT address FROM messages WHERE customer_id = ANY($1::uuid[]) AND address IS NOT NULL
         UNION ALL SELECT d.address FROM delivery_attempts d JOIN messages ms ON ms.id = d.message_id
                   WHERE ms.customer_id = ANY($1::uuid[]) AND d.address IS NOT NULL
         UNION ALL SELECT s.to_address FROM sandbox_outbox s JOIN messages ms ON ms.id = s.message_id
                   WHERE ms.customer_id = ANY($1::uuid[])
       ) x WHERE length(a) >= 3 AND a <> 'erased'`,
      [customerIds],
    )) as Array<{ address: string }>;
    const providerIds = (await m.query(
      `SELECT DISTINCT lower(p) AS id FROM (
         SELECT provider_message_id AS p FROM messages WHERE customer_id = ANY($1::uuid[])
         UNION ALL SELECT d.provider_message_id FROM delivery_attempts d JOIN messages ms ON ms.id = d.message_id
                   WHERE ms.customer_id = ANY($1::uuid[])
       ) x WHERE length(p) >= 8`,
      [customerIds],
    )) as Array<{ id: string }>;
    return {
      customerId,
      customerIds,
      providerIds: providerIds.map((p) => p.id),
      addresses: addresses.map((a) => a.address),
      names: family.map((c) => c.display_name).filter((n) => n !== ERASED_NAME),
    };
  }

  /**
   * Queued and finished jobs about them: sends and checks of their messages, and any row whose
   * payload, error or key names one of their addresses (inbound webhooks carry the sender and
   * text) or their messages' provider ids (a call's callbacks carry its CallSid and transcript). Deleted whatever their state: a runner holding one finds nothing to complete, and a
   * queue job carrying its id finds nothing to claim. Campaign chunks, which carry other
   * customers' messages too, lose only these message ids.
   */
  async eraseJobs(m: EntityManager, scope: ErasureScope): Promise<ErasedJob[]> {
    await m.query(
      `UPDATE outbox_jobs j
       SET payload = jsonb_set(j.payload, '{messageIds}', COALESCE((
             SELECT jsonb_agg(x) FROM jsonb_array_elements_text(j.payload->'messageIds') x
             WHERE NOT EXISTS (SELECT 1 FROM messages ms WHERE ms.id = x::uuid AND ms.customer_id = ANY($1::uuid[]))
           ), '[]'::jsonb)),
           updated_at = now()
       WHERE jsonb_typeof(j.payload->'messageIds') = 'array'
         AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(j.payload->'messageIds') x
                     JOIN messages ms ON ms.id = x::uuid WHERE ms.customer_id = ANY($1::uuid[]))`,
      [scope.customerIds],
    );
    const rows = (await m.query(
      `DELETE FROM outbox_jobs j
       WHERE j.payload->>'messageId' IN (SELECT id::text FROM messages WHERE customer_id = ANY($1::uuid[]))
          OR EXISTS (SELECT 1 FROM unnest($2::text[]) a
                     WHERE strpos(lower(j.payload::text), a) > 0
                        OR strpos(lower(COALESCE(j.last_error, '')), a) > 0
                        OR strpos(lower(COALESCE(j.dedupe_key, '')), a) > 0)
       RETURNING j.id, j.queue, j.run_at`,
      [scope.customerIds, [...scope.addresses, ...scope.providerIds]],
    )) as [Array<{ id: string; queue: string; run_at: Date }>, number];
    return rows[0].map((r) => ({ id: r.id, queue: r.queue, runAt: r.run_at }));
  }

  /**
   * Cancels their digests not yet sent, so nothing goes to them after: their messages waiting in
   * a digest (open, or closed and being flushed) are suppressed, and each such digest that holds
   * no one else's message any more (a merge moves messages, not digests) is dropped, its flush
   * job row deleted (returned, to take its job out of the queue). A flush already running finds
   * its digest dropped and settles nothing; should it have read the items before, the customer
   * is erased by then and it drops them (DigestFlushService).
   */
  async cancelDigests(
    m: EntityManager,
    scope: ErasureScope,
  ): Promise<{ digests: number; jobs: ErasedJob[] }> {
    const rows = (await m.query(
      `WITH items AS (
         UPDATE messages SET status = 'suppressed', updated_at = now()
         WHERE customer_id = ANY($1::uuid[]) AND status = 'digested'
           AND digest_id IN (SELECT id FROM digests WHERE status IN ('open', 'closed'))
         RETURNING digest_id),
       dropped AS (
         UPDATE digests d SET status = 'dropped', reason = $2, updated_at = now()
         WHERE d.status IN ('open', 'closed')
           AND (d.customer_id = ANY($1::uuid[]) OR d.id IN (SELECT digest_id FROM items))
           AND NOT EXISTS (SELECT 1 FROM messages o WHERE o.digest_id = d.id AND o.status = 'digested'
                                                      AND NOT (o.customer_id = ANY($1::uuid[])))
         RETURNING d.id),
       jobs AS (
         DELETE FROM outbox_jobs j WHERE j.dedupe_key IN (SELECT 'digest:' || id FROM dropped)
         RETURNING j.id, j.queue, j.run_at)
       SELECT (SELECT count(*) FROM dropped)::int AS digests,
              (SELECT coalesce(json_agg(json_build_array(id, queue, run_at)), '[]') FROM jobs) AS jobs`,
      [scope.customerIds, ERASED_DIGEST_REASON],
    )) as Array<{ digests: number; jobs: Array<[string, string, string]> }>;
    return {
      digests: rows[0].digests,
      jobs: rows[0].jobs.map(([id, queue, runAt]) => ({ id, queue, runAt: new Date(runAt) })),
    };
  }

  /** Every statement of the erasure but the jobs' and the digests'; run in the caller's transaction. */
  async eraseRows(
    m: EntityManager,
    scope: ErasureScope,
  ): Promise<Omit<ErasureCounts, 'jobs' | 'digests'>> {
    const ids = [scope.customerIds];
    const run = async (sql: string, params: unknown[] = ids): Promise<number> =>
      ((await m.query(sql, params)) as [unknown, number])[1] ?? 0;
    const theirMessages = `SELECT id FROM messages WHERE customer_id = ANY($1::uuid[])`;
    // The consent ledger refuses updates outside a session flagged as an erasure.
    await m.query(`SET LOCAL hub.erasure = 'on'`);

    const attachments = await run(`DELETE FROM attachments WHERE message_id IN (${theirMessages})`);
    await run(
      `UPDATE delivery_attempts SET address = NULL, details = NULL, error = NULL, provider_message_id = NULL, updated_at = now()
       WHERE message_id IN (${theirMessages})`,
    );
    await run(
      `UPDATE sandbox_outbox SET to_address = 'erased', subject = NULL, text = '', html = NULL, payload = '{}',
              provider_message_id = 'erased-' || id
       WHERE message_id IN (${theirMessages}) OR lower(to_address) = ANY($2::text[])`,
      [scope.customerIds, scope.addresses],
    );
    // Provider ids go too: an e-mail's Message-ID often holds its sender's address, a WeChat
    // or live-chat id is the contact's. The route keeps its channels, not their addresses.
    // Sends not yet handed to a provider will not be: suppressed.
    const messages = await run(
      `UPDATE messages SET text = '', html = NULL, subject = NULL, address = NULL, attachments = '[]',
              template_data = NULL, metadata = '{}', provider_message_id = NULL, idempotency_key = NULL,
              route = CASE WHEN route IS NULL THEN NULL ELSE jsonb_strip_nulls(jsonb_build_object(
                'channel', route->'channel', 'sendAt', route->'sendAt',
                'fallbacks', (SELECT jsonb_agg(f - 'address') FROM jsonb_array_elements(
                  CASE jsonb_typeof(route->'fallbacks') WHEN 'array' THEN route->'fallbacks' ELSE '[]' END) f))) END,
              status = CASE WHEN direction = 'outbound' AND status = 'queued'
                             AND NOT EXISTS (SELECT 1 FROM delivery_attempts d WHERE d.message_id = messages.id)
                            THEN 'suppressed' ELSE status END,
              updated_at = now()
       WHERE customer_id = ANY($1::uuid[])`,
    );
    await run(
      `UPDATE follow_ups SET note = '' WHERE note <> ''
         AND conversation_id IN (SELECT id FROM conversations WHERE customer_id = ANY($1::uuid[]))`,
    );
    // Notifications name the customer and quote notes: they go, not just their text.
    await run(
      `DELETE FROM notifications
       WHERE conversation_id IN (SELECT id FROM conversations WHERE customer_id = ANY($1::uuid[]))`,
    );
    await run(
      `UPDATE conversations SET subject = NULL, last_message_preview = NULL, tags = '{}', updated_at = now()
       WHERE customer_id = ANY($1::uuid[])`,
    );
    await run(
      `UPDATE consents SET evidence = NULL, source = 'erased' WHERE customer_id = ANY($1::uuid[])`,
    );
    // The preference ledger keeps that something changed and when; what and from where go.
    await run(
      `UPDATE preference_changes SET evidence = NULL, before = NULL, after = NULL, source = 'erased' WHERE customer_id = ANY($1::uuid[])`,
    );
    await run(`UPDATE campaign_recipients SET reasons = NULL WHERE customer_id = ANY($1::uuid[])`);
    await run(`UPDATE tracking_events SET url = NULL WHERE customer_id = ANY($1::uuid[])`);
    await run(`DELETE FROM short_links WHERE customer_id = ANY($1::uuid[])`);
    await run(
      `UPDATE conversions SET order_id = 'erased:' || id WHERE customer_id = ANY($1::uuid[]) AND order_id NOT LIKE 'erased:%'`,
    );
    // Audit entries keep who did what; details that name the customer go.
    await run(
      `UPDATE audit_log SET details = '{}'
       WHERE details <> '{}' AND (
         EXISTS (SELECT 1 FROM unnest($1::text[]) a WHERE strpos(lower(details::text), a) > 0)
         OR EXISTS (SELECT 1 FROM unnest($2::text[]) n WHERE strpos(details::text, to_jsonb(n)::text) > 0))`,
      [scope.addresses, scope.names],
    );
    // Live-chat identity claims: theirs, and any visitor's claim to one of their addresses.
    await run(
      `DELETE FROM livechat_identity_claims
       WHERE customer_id = ANY($1::uuid[]) OR owner_customer_id = ANY($1::uuid[]) OR lower(address) = ANY($2::text[])`,
      [scope.customerIds, scope.addresses],
    );
    const identities = await run(
      `DELETE FROM customer_identities WHERE customer_id = ANY($1::uuid[])`,
    );
    // Merged duplicates become erased customers of their own: no redirect to the survivor.
    const customers = await run(
      `UPDATE customers SET display_name = '${ERASED_NAME}', attributes = '{}', tags = '{}',
              preferences = '{"matrix":[],"quietHours":null}', merged_into_id = NULL,
              erased_at = COALESCE(erased_at, now()), updated_at = now()
       WHERE id = ANY($1::uuid[])`,
    );
    return { customers, identities, messages, attachments };
  }
}

export const ERASED_NAME = 'Erased customer';
