import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Coalescer } from '../common/coalescer';
import { preparedQuery } from '../common/prepared-query';

type Row = Record<string, unknown>;

/**
 * The conversation row a write CTE returned, with the customer's name from the `cust` CTE (so
 * listeners showing it need not read it again).
 */
export const CONVERSATION_WITH_NAME = (cte: string) =>
  `(SELECT to_jsonb(${cte}) || jsonb_build_object('customer_display_name', (SELECT display_name FROM cust)) FROM ${cte})`;

/** A known sender's message: a record of KNOWN_MANY, and KNOWN_ONE's $1..$13 in this order. */
export interface KnownMessage {
  channel: string;
  provider_message_id: string;
  kind: string;
  address: string;
  mkind: string;
  text: string;
  html: string | null;
  subject: string | null;
  /** JSON text. */
  attachments: string;
  auto_reply: boolean;
  /** JSON text. */
  metadata: string;
  received_at: Date | null;
  preview: string;
}

/** What the known-sender write answers per message. */
export interface KnownWrite {
  message: Row | null;
  conversation: Row | null;
  /** Whether the sender has an open conversation (so no insert means a duplicate). */
  open: boolean;
  /** Whether the sender's identity is on record at all (false: a first contact). */
  known: boolean;
}

/** A known sender's message into their open conversation; $1..$13 as KnownMessage lists them. */
const KNOWN_ONE = `WITH ident AS (
     SELECT customer_id FROM customer_identities WHERE kind = $3 AND address = $4),
   conv AS (
     SELECT c.id, c.customer_id FROM ident
     JOIN conversations c ON c.customer_id = ident.customer_id AND c.status = 'open'),
   msg AS (
     INSERT INTO messages (customer_id, conversation_id, direction, kind, channel, status, text, html, subject,
                           attachments, address, provider_message_id, auto_reply, metadata, created_at)
     SELECT conv.customer_id, conv.id, 'inbound', $5, $1, 'delivered', $6, $7, $8, $9, $4, $2, $10, $11, COALESCE($12, now())
     FROM conv
     ON CONFLICT (channel, provider_message_id) WHERE provider_message_id IS NOT NULL DO NOTHING
     RETURNING *),
   convu AS (
     UPDATE conversations SET last_message_at = now(), last_message_preview = $13, last_channel = $1,
            last_inbound_channel = $1, subject = COALESCE(subject, $8), updated_at = now()
     WHERE id = (SELECT conversation_id FROM msg) RETURNING *),
   cust AS (UPDATE customers SET last_contact_at = now() WHERE id = (SELECT customer_id FROM msg) RETURNING display_name)
   SELECT (SELECT to_jsonb(msg) FROM msg) AS message, ${CONVERSATION_WITH_NAME('convu')} AS conversation,
          EXISTS (SELECT 1 FROM conv) AS open, EXISTS (SELECT 1 FROM ident) AS known`;

/**
 * KNOWN_ONE for many messages at once ($1: their records, each with its ord). Messages land in
 * ord order; a conversation several of them share is updated once, as its last one would leave
 * it (preview and channel of the last, the subject of the first that has one when it had none).
 * JSON values travel as text and are cast (json_to_recordset's own jsonb columns cost more).
 * The lookups are one-row LATERAL probes and the customers' update an array of ids: as joins,
 * the planner (which takes json_to_recordset for 100 rows) hashed the whole identities and
 * customers tables for every batch, and kept doing so as they grew.
 */
const KNOWN_MANY = `WITH i AS (SELECT * FROM json_to_recordset($1::json) AS i(
       ord int, channel text, provider_message_id text, kind text, address text, mkind text, text text,
       html text, subject text, attachments text, auto_reply boolean, metadata text, received_at timestamptz,
       preview text)),
   ident AS (
     SELECT i.ord, ci.customer_id FROM i
     CROSS JOIN LATERAL (SELECT customer_id FROM customer_identities ci
                         WHERE ci.kind = i.kind AND ci.address = i.address LIMIT 1) ci),
   conv AS (
     SELECT ident.ord, c.id, c.customer_id FROM ident
     CROSS JOIN LATERAL (SELECT c.id, c.customer_id FROM conversations c
                         WHERE c.customer_id = ident.customer_id AND c.status = 'open' LIMIT 1) c),
   msg AS (
     INSERT INTO messages (customer_id, conversation_id, direction, kind, channel, status, text, html, subject,
                           attachments, address, provider_message_id, auto_reply, metadata, created_at)
     SELECT conv.customer_id, conv.id, 'inbound', i.mkind, i.channel, 'delivered', i.text, i.html, i.subject,
            i.attachments::jsonb, i.address, i.provider_message_id, i.auto_reply, i.metadata::jsonb,
            COALESCE(i.received_at, now())
     FROM i JOIN conv ON conv.ord = i.ord ORDER BY i.ord
     ON CONFLICT (channel, provider_message_id) WHERE provider_message_id IS NOT NULL DO NOTHING
     RETURNING *),
   written AS (SELECT msg.conversation_id, msg.seq, i.preview, i.channel, i.subject
               FROM msg JOIN i ON i.channel = msg.channel AND i.provider_message_id = msg.provider_message_id),
   latest AS (
     SELECT DISTINCT ON (w.conversation_id) w.conversation_id, w.preview, w.channel,
            (SELECT f.subject FROM written f WHERE f.conversation_id = w.conversation_id AND f.subject IS NOT NULL
             ORDER BY f.seq LIMIT 1) AS subject
     FROM written w ORDER BY w.conversation_id, w.seq DESC),
   convu AS (
     UPDATE conversations c SET last_message_at = now(), last_message_preview = l.preview, last_channel = l.channel,
            last_inbound_channel = l.channel, subject = COALESCE(c.subject, l.subject), updated_at = now()
     FROM latest l WHERE c.id = l.conversation_id RETURNING c.*),
   cust AS (UPDATE customers u SET last_contact_at = now() WHERE u.id = ANY (ARRAY(SELECT customer_id FROM msg))
            RETURNING u.id, u.display_name)
   SELECT i.ord, to_jsonb(msg) AS message,
          to_jsonb(convu) || jsonb_build_object('customer_display_name', cust.display_name) AS conversation,
          conv.id IS NOT NULL AS open,
          ident.ord IS NOT NULL AS known
   FROM i LEFT JOIN ident ON ident.ord = i.ord
          LEFT JOIN conv ON conv.ord = i.ord
          LEFT JOIN msg ON msg.channel = i.channel AND msg.provider_message_id = i.provider_message_id
          LEFT JOIN convu ON convu.id = msg.conversation_id
          LEFT JOIN cust ON cust.id = msg.customer_id`;

/**
 * The common inbound write: a known sender's message into their open conversation, in one
 * statement (its own transaction); messages written at once (a burst of webhooks) share one.
 */
@Injectable()
export class KnownSenderWrites {
  private readonly writes = new Coalescer((items: KnownMessage[]) => this.writeAll(items));

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** null: the same provider message id was asked earlier in the batch (see writeAll). */
  write(message: KnownMessage): Promise<KnownWrite | null> {
    return this.writes.submit(message);
  }

  /**
   * One statement for the batch; a lone message runs the single-row form. A provider message id
   * asked twice in one batch is written by its first ask: the later ones answer null and take
   * the locked path, which finds it.
   */
  private async writeAll(items: KnownMessage[]): Promise<Array<KnownWrite | null>> {
    if (items.length === 1) {
      const m = items[0];
      const [row] = await preparedQuery<KnownWrite>(this.db, KNOWN_ONE, [
        m.channel,
        m.provider_message_id,
        m.kind,
        m.address,
        m.mkind,
        m.text,
        m.html,
        m.subject,
        m.attachments,
        m.auto_reply,
        m.metadata,
        m.received_at,
        m.preview,
      ]);
      return [row];
    }
    const seen = new Set<string>();
    const records = items.flatMap((item, ord) => {
      const key = `${item.channel}\u0000${item.provider_message_id}`;
      if (seen.has(key)) return [];
      seen.add(key);
      return [{ ord, ...item }];
    });
    // Unnamed, so planned for the tables as they are now: a batch shares the planning, and a plan
    // cached while the tables were small (in a new database's first minute, before autovacuum's
    // first ANALYZE) would keep scanning whole tables as they grow.
    const rows = (await this.db.query(KNOWN_MANY, [JSON.stringify(records)])) as Array<
      KnownWrite & { ord: number }
    >;
    const byOrd = new Map(rows.map((r) => [Number(r.ord), r]));
    return items.map((_, ord) => byOrd.get(ord) ?? null);
  }
}
