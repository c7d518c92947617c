import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Attachment } from '../channels/channel-port';
import { Coalescer } from '../common/coalescer';
import { preparedQuery, preparedQueryIn } from '../common/prepared-query';
import type { Tx } from '../database/transactions';
import { isUniqueViolation } from '../database/sql-errors';
import { FIRST_CONTACT_LOCKED, FIRST_CONTACT_OPTIMISTIC } from './first-contact.sql';
import { CONVERSATION_WITH_NAME, KNOWN_MANY, KNOWN_ONE } from './known-sender.sql';

type Row = Record<string, unknown>;

/** A messages row as the ingest statements return it (messageView maps it for callers). */
export type MessageRow = Row & { id: string; customer_id: string; conversation_id: string | null };
/** A conversations row as the ingest statements return it (conversationView maps it for callers). */
export type ConversationRow = Row & {
  id: string;
  status: string;
  sla_cycle_at: string | Date | null;
};

/** The one place a row read by ingest becomes a typed row (views map it further). */
export const messageRow = (r: Row): MessageRow => r as MessageRow;
export const conversationRow = (r: Row): ConversationRow => r as ConversationRow;
const messageOrNull = (r: unknown) => (r ? messageRow(r as Row) : null);
const conversationOrNull = (r: unknown) => (r ? conversationRow(r as Row) : null);

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
  message: MessageRow | null;
  conversation: ConversationRow | null;
  /** Whether the sender has an open conversation (so no insert means a duplicate). */
  open: boolean;
  /** Whether the sender's identity is on record at all (false: a first contact). */
  known: boolean;
}

/** The message's columns (as a known sender's write takes them), the new customer's name, the message id. */
export type FirstContact = KnownMessage & { display_name: string; message_id: string };

export interface FirstContactWritten {
  customerId: string;
  message: MessageRow | null;
  /** Opened with its SLA cycle begun (sla_cycle_at). */
  conversation: ConversationRow;
  /** The SLA policy that applies to the new conversation (null: none). */
  slaPolicy: Row | null;
}

/** Under the sender's lock: is this a retry, who is the sender, what is their active episode. */
export interface SenderProbe {
  existing: MessageRow | null;
  customerId: string | null;
  active: ConversationRow | null;
}

/** A message of a known customer written on the locked path ($1..$15 of LOCKED_WRITE). */
export interface LockedMessage {
  id: string;
  customerId: string;
  conversationId: string | null;
  mkind: string;
  channel: string;
  text: string;
  html: string | null;
  subject: string | null;
  /** JSON text. */
  attachments: string;
  address: string;
  providerMessageId: string;
  autoReply: boolean;
  /** JSON text. */
  metadata: string;
  receivedAt: Date | null;
  preview: string;
}

/** A message already on the timeline, with its conversation. */
export interface ExistingMessage {
  message: MessageRow;
  conversation: ConversationRow | null;
}

const LOCKED_WRITE = `WITH msg AS (
               INSERT INTO messages (id, customer_id, conversation_id, direction, kind, channel, status, text, html, subject,
                                     attachments, address, provider_message_id, auto_reply, metadata, created_at)
               VALUES ($1, $2, $3, 'inbound', $4, $5, 'delivered', $6, $7, $8, $9, $10, $11, $12, $13, COALESCE($14, now()))
               ON CONFLICT (channel, provider_message_id) WHERE provider_message_id IS NOT NULL DO NOTHING
               RETURNING *),
             conv AS (
               UPDATE conversations SET last_message_at = now(), last_message_preview = $15, last_channel = $5,
                      last_inbound_channel = $5, subject = COALESCE(subject, $8), updated_at = now()
               WHERE id = $3 AND EXISTS (SELECT 1 FROM msg) RETURNING *),
             cust AS (UPDATE customers SET last_contact_at = now() WHERE id = $2 AND EXISTS (SELECT 1 FROM msg) RETURNING display_name)
             SELECT (SELECT to_jsonb(msg) FROM msg) AS message, ${CONVERSATION_WITH_NAME('conv')} AS conversation`;

/**
 * The inbound writes: a known sender's message (batched), a first contact in one statement, and
 * the locked path's statements (the sender's lock, the probe, the message, its attachments).
 */
@Injectable()
export class InboundMessagesRepository {
  private readonly knownWrites = new Coalescer((items: KnownMessage[]) => this.writeAll(items));

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The common inbound write: a known sender's message into their open conversation, in one
   * statement (its own transaction); messages written at once (a burst of webhooks) share one.
   * null: the same provider message id was asked earlier in the batch (see writeAll).
   */
  writeKnown(message: KnownMessage): Promise<KnownWrite | null> {
    return this.knownWrites.submit(message);
  }

  /**
   * One statement for the batch; a lone message runs the single-row form. A provider message id
   * asked twice in one batch is written by its first ask: the later ones answer null and take
   * the locked path, which finds it.
   */
  private async writeAll(items: KnownMessage[]): Promise<Array<KnownWrite | null>> {
    if (items.length === 1) {
      const m = items[0];
      const [row] = await preparedQuery<Row>(this.db, KNOWN_ONE, [
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
      return [knownWrite(row)];
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
    const rows = (await this.db.query(KNOWN_MANY, [JSON.stringify(records)])) as Row[];
    const byOrd = new Map(rows.map((r) => [Number(r.ord), knownWrite(r)]));
    return items.map((_, ord) => byOrd.get(ord) ?? null);
  }

  /**
   * A first contact on its own, before any lock: null when a concurrent delivery got there first
   * (the sender's identity or the provider message id exists now), and nothing was written.
   */
  async tryFirstContact(f: FirstContact): Promise<FirstContactWritten | null> {
    try {
      return firstContactWritten(
        (await preparedQuery<Row>(this.db, FIRST_CONTACT_OPTIMISTIC, firstContactArgs(f)))[0],
      );
    } catch (e) {
      if (isUniqueViolation(e)) return null;
      throw e;
    }
  }

  /** A first contact under the sender's lock, inside the caller's transaction. */
  async writeFirstContact(tx: Tx, f: FirstContact): Promise<FirstContactWritten> {
    return firstContactWritten(
      (await preparedQueryIn<Row>(tx, FIRST_CONTACT_LOCKED, firstContactArgs(f)))[0],
    );
  }

  /** Serializes deliveries from one sender (`key`) until the transaction ends. */
  async lockSender(tx: Tx, key: string): Promise<void> {
    await preparedQueryIn(tx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [key]);
  }

  /** One round trip: is this a retry, who is the sender, what is their active episode. */
  async probe(
    tx: Tx,
    channel: string,
    providerMessageId: string,
    kind: string,
    address: string,
  ): Promise<SenderProbe> {
    const [row] = await preparedQueryIn<Row>(
      tx,
      `SELECT (SELECT to_jsonb(x) FROM messages x WHERE x.channel = $1 AND x.provider_message_id = $2) AS existing,
                    i.customer_id,
                    (SELECT to_jsonb(c) FROM conversations c WHERE c.customer_id = i.customer_id AND c.status <> 'resolved') AS active
             FROM (SELECT 1) one LEFT JOIN customer_identities i ON i.kind = $3 AND i.address = $4`,
      [channel, providerMessageId, kind, address],
    );
    return {
      existing: messageOrNull(row.existing),
      customerId: (row.customer_id as string | null) ?? null,
      active: conversationOrNull(row.active),
    };
  }

  /** A customer and their identity for a sender whose first message joins no new conversation. */
  async createCustomer(
    tx: Tx,
    displayName: string,
    kind: string,
    channel: string,
    address: string,
  ): Promise<string> {
    const rows = await preparedQueryIn<{ id: string }>(
      tx,
      `WITH c AS (INSERT INTO customers (display_name) VALUES ($1) RETURNING id),
            i AS (INSERT INTO customer_identities (customer_id, kind, channel, address) SELECT id, $2, $3, $4 FROM c)
       SELECT id FROM c`,
      [displayName, kind, channel, address],
    );
    return rows[0].id;
  }

  /**
   * The message, and the conversation's summary (only when a message was inserted): a null
   * message means another transaction holds this provider message id.
   */
  async writeLocked(
    tx: Tx,
    m: LockedMessage,
  ): Promise<{ message: MessageRow | null; conversation: ConversationRow | null }> {
    const [row] = await preparedQueryIn<Row>(tx, LOCKED_WRITE, [
      m.id,
      m.customerId,
      m.conversationId,
      m.mkind,
      m.channel,
      m.text,
      m.html,
      m.subject,
      m.attachments,
      m.address,
      m.providerMessageId,
      m.autoReply,
      m.metadata,
      m.receivedAt,
      m.preview,
    ]);
    return {
      message: messageOrNull(row.message),
      conversation: conversationOrNull(row.conversation),
    };
  }

  /** Stored attachments of a message just written, one row each. */
  async storeAttachments(
    tx: Tx,
    messageId: string,
    rows: Array<{ id: string; a: Attachment }>,
  ): Promise<void> {
    for (const { id, a } of rows) {
      await tx.query(
        `INSERT INTO attachments (id, message_id, filename, content_type, size, content) VALUES ($1, $2, $3, $4, $5, $6)`,
        [id, messageId, a.filename, a.contentType, a.content!.length, a.content],
      );
    }
  }

  /** The message with this provider message id, and its conversation; null when none. */
  async existing(
    channel: string,
    providerMessageId: string,
    tx?: Tx,
  ): Promise<ExistingMessage | null> {
    const q = tx ?? this.db;
    const rows = (await q.query(
      `SELECT * FROM messages WHERE channel = $1 AND provider_message_id = $2`,
      [channel, providerMessageId],
    )) as Row[];
    if (!rows[0]) return null;
    const message = messageRow(rows[0]);
    const conv = message.conversation_id
      ? (
          (await q.query(`SELECT * FROM conversations WHERE id = $1`, [
            message.conversation_id,
          ])) as Row[]
        )[0]
      : null;
    return { message, conversation: conversationOrNull(conv) };
  }
}

function knownWrite(r: Row): KnownWrite {
  return {
    message: messageOrNull(r.message),
    conversation: conversationOrNull(r.conversation),
    open: r.open as boolean,
    known: r.known as boolean,
  };
}

function firstContactWritten(r: Row): FirstContactWritten {
  return {
    customerId: r.customer_id as string,
    message: messageOrNull(r.message),
    conversation: conversationRow(r.conversation as Row),
    slaPolicy: (r.sla_policy as Row | null) ?? null,
  };
}

function firstContactArgs(f: FirstContact): unknown[] {
  return [
    f.display_name,
    f.kind,
    f.channel,
    f.address,
    f.message_id,
    f.mkind,
    f.text,
    f.subject,
    f.html,
    f.attachments,
    f.provider_message_id,
    f.metadata,
    f.received_at,
    f.preview,
  ];
}
