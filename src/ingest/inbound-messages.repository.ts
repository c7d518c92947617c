import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Coalescer } from '../common/coalescer';
import { preparedQuery, preparedQueryIn } from '../common/prepared-query';
import type { Tx } from '../database/transactions';
import { isUniqueViolation } from '../database/sql-errors';
import { FIRST_CONTACT_LOCKED, FIRST_CONTACT_OPTIMISTIC } from './first-contact.sql';
import { KNOWN_MANY, KNOWN_ONE } from './known-sender.sql';

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
export const messageOrNull = (r: unknown) => (r ? messageRow(r as Row) : null);
export const conversationOrNull = (r: unknown) => (r ? conversationRow(r as Row) : null);

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

/** A message already on the timeline, with its conversation. */
export interface ExistingMessage {
  message: MessageRow;
  conversation: ConversationRow | null;
}

/**
 * The inbound writes: a known sender's message (batched), a first contact in one statement
 * (optimistic or under the sender's lock), and the lookup of a message already written.
 * LockedInboundRepository has the rest of the locked path.
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
