import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Attachment, NormalizedInbound } from '../channels/channel-port';
import { Coalescer } from '../common/coalescer';
import { AppConfig } from '../config/app-config';
import { normalizeAddress } from '../customers/address';
import {
  conversationView,
  messageView,
  type ConversationView,
  type MessageView,
} from '../conversations/views';
import { DomainEvents } from '../events/domain-events';
import { MetricsService } from '../metrics/metrics.service';
import { preparedQuery, preparedQueryIn } from '../common/prepared-query';

export interface IngestResult {
  message: MessageView;
  conversation: ConversationView | null;
  customerId: string;
  /** false when this provider message id was already on the timeline (a retried webhook). */
  created: boolean;
  newCustomer: boolean;
  newConversation: boolean;
  /** Whether the conversation's SLA cycle was running when the message was written (absent: not read). */
  slaCycleRunning?: boolean;
}

type Row = Record<string, unknown>;
class DuplicateDelivery extends Error {}

/**
 * The conversation row a write CTE returned, with the customer's name from the `cust` CTE (so
 * listeners showing it need not read it again).
 */
const CONVERSATION_WITH_NAME = (cte: string) =>
  `(SELECT to_jsonb(${cte}) || jsonb_build_object('customer_display_name', (SELECT display_name FROM cust)) FROM ${cte})`;
const PREVIEW_CHARS = 140;
const MAX_TEXT = 100_000;

interface KnownAsk {
  input: NormalizedInbound;
  kind: string;
  address: string;
}

/** What the known-sender write answers per message. */
interface KnownWrite {
  message: Row | null;
  conversation: Row | null;
  /** Whether the sender has an open conversation (so no insert means a duplicate). */
  open: boolean;
}

/** A known sender's message into their open conversation; $1..$13 as knownValues lists them. */
const KNOWN_ONE = `WITH conv AS (
     SELECT c.id, c.customer_id FROM customer_identities i
     JOIN conversations c ON c.customer_id = i.customer_id AND c.status = 'open'
     WHERE i.kind = $3 AND i.address = $4),
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
          EXISTS (SELECT 1 FROM conv) AS open`;

/**
 * KNOWN_ONE for many messages at once ($1: their records, each with its ord). Messages land in
 * ord order; a conversation several of them share is updated once, as its last one would leave
 * it (preview and channel of the last, the subject of the first that has one when it had none).
 * JSON values travel as text and are cast (json_to_recordset's own jsonb columns cost more).
 */
const KNOWN_MANY = `WITH i AS (SELECT * FROM json_to_recordset($1::json) AS i(
       ord int, channel text, provider_message_id text, kind text, address text, mkind text, text text,
       html text, subject text, attachments text, auto_reply boolean, metadata text, received_at timestamptz,
       preview text)),
   conv AS (
     SELECT i.ord, c.id, c.customer_id FROM i
     JOIN customer_identities ci ON ci.kind = i.kind AND ci.address = i.address
     JOIN conversations c ON c.customer_id = ci.customer_id AND c.status = 'open'),
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
   cust AS (UPDATE customers u SET last_contact_at = now() WHERE u.id IN (SELECT customer_id FROM msg)
            RETURNING u.id, u.display_name)
   SELECT i.ord, to_jsonb(msg) AS message,
          to_jsonb(convu) || jsonb_build_object('customer_display_name', cust.display_name) AS conversation,
          conv.id IS NOT NULL AS open
   FROM i LEFT JOIN conv ON conv.ord = i.ord
          LEFT JOIN msg ON msg.channel = i.channel AND msg.provider_message_id = i.provider_message_id
          LEFT JOIN convu ON convu.id = msg.conversation_id
          LEFT JOIN cust ON cust.id = msg.customer_id`;

/**
 * Turns one normalized inbound message into timeline state, in one transaction:
 * identity -> customer -> conversation -> message, idempotent on (channel, provider message id).
 */
@Injectable()
export class IngestService {
  /** Known senders writing at once (a burst of webhooks) share one statement. */
  private readonly knownSenders = new Coalescer((asks: KnownAsk[]) => this.writeKnownAll(asks));

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: DomainEvents,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  async ingest(input: NormalizedInbound): Promise<IngestResult> {
    const { kind, address } = normalizeAddress(input.channel, input.from, 'from');
    const result =
      (await this.ingestReturning(input, kind, address)) ??
      (await this.ingestLocked(input, kind, address));
    if (result.created) {
      this.metrics.inboundMessages.inc({ channel: input.channel });
      if (result.conversation) {
        if (result.newConversation)
          this.events.emit('conversation.created', { conversation: result.conversation });
        else
          this.events.emit('conversation.updated', {
            conversation: result.conversation,
            slaCycleRunning: result.slaCycleRunning,
          });
      }
      this.events.emit('message.created', {
        message: result.message,
        conversation: result.conversation,
        isNewConversation: result.newConversation,
      });
    }
    return result;
  }

  /**
   * The common case in one statement (its own transaction): a known sender writing into an open
   * conversation; known senders writing at once share one. Anything else (first contact, a
   * reopen, e-mail threading, stored attachments) returns null and takes the locked path.
   */
  private async ingestReturning(
    input: NormalizedInbound,
    kind: string,
    address: string,
  ): Promise<IngestResult | null> {
    if (input.threadRefs?.length || input.attachments?.some((a) => a.content)) return null;
    const r = await this.knownSenders.submit({ input, kind, address });
    if (r === null) return null;
    if (r.message && r.conversation) {
      return {
        message: messageView(r.message),
        conversation: conversationView(r.conversation),
        customerId: r.message.customer_id as string,
        created: true,
        newCustomer: false,
        newConversation: false,
        slaCycleRunning: r.conversation.sla_cycle_at != null,
      };
    }
    // An open conversation but no insert: this provider message id is already on the timeline.
    if (r.open) return this.findExisting(this.db.manager, input);
    return null;
  }

  /**
   * One statement for the batch; a lone ask runs the single-row form. A provider message id
   * asked twice in one batch is written by its first ask: the later ones answer null and take
   * the locked path, which finds it.
   */
  private async writeKnownAll(asks: KnownAsk[]): Promise<Array<KnownWrite | null>> {
    if (asks.length === 1) {
      const [row] = await preparedQuery<KnownWrite>(this.db, KNOWN_ONE, this.knownValues(asks[0]));
      return [row];
    }
    const seen = new Set<string>();
    const records = asks.flatMap((ask, ord) => {
      const key = `${ask.input.channel}\u0000${ask.input.providerMessageId}`;
      if (seen.has(key)) return [];
      seen.add(key);
      const [
        channel,
        providerMessageId,
        kind,
        address,
        mkind,
        text,
        html,
        subject,
        attachments,
        autoReply,
        metadata,
        receivedAt,
        lastPreview,
      ] = this.knownValues(ask);
      return [
        {
          ord,
          channel,
          provider_message_id: providerMessageId,
          kind,
          address,
          mkind,
          text,
          html,
          subject,
          attachments,
          auto_reply: autoReply,
          metadata,
          received_at: receivedAt,
          preview: lastPreview,
        },
      ];
    });
    const rows = await preparedQuery<KnownWrite & { ord: number }>(this.db, KNOWN_MANY, [
      JSON.stringify(records),
    ]);
    const byOrd = new Map(rows.map((r) => [Number(r.ord), r]));
    return asks.map((_, ord) => byOrd.get(ord) ?? null);
  }

  /** $1..$13 of KNOWN_ONE, and the fields of one KNOWN_MANY record, in that order. */
  private knownValues({ input, kind, address }: KnownAsk): unknown[] {
    return [
      input.channel,
      input.providerMessageId,
      kind,
      address,
      input.kind ?? 'message',
      (input.text ?? '').slice(0, MAX_TEXT),
      input.html ?? null,
      input.subject ?? null,
      JSON.stringify(this.prepareAttachments(input.attachments ?? []).listed),
      Boolean(input.autoReply),
      JSON.stringify(this.metadataOf(input)),
      input.receivedAt ?? null,
      preview(input),
    ];
  }

  private metadataOf(input: NormalizedInbound): Record<string, unknown> {
    return {
      ...(input.metadata ?? {}),
      ...(input.threadRefs?.length ? { threadRefs: input.threadRefs } : {}),
      ...(input.senderName ? { senderName: input.senderName } : {}),
    };
  }

  private async ingestLocked(
    input: NormalizedInbound,
    kind: string,
    address: string,
  ): Promise<IngestResult> {
    return this.db
      .transaction(async (m) => {
        // Serializes deliveries from one sender: duplicates and first contacts cannot race.
        await preparedQueryIn(m, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
          `${kind}:${address}`,
        ]);
        // One round trip: is this a retry, who is the sender, what is their active episode.
        const probe = (
          await preparedQueryIn<{
            existing: Row | null;
            customer_id: string | null;
            active: Row | null;
          }>(
            m,
            `SELECT (SELECT to_jsonb(x) FROM messages x WHERE x.channel = $1 AND x.provider_message_id = $2) AS existing,
                    i.customer_id,
                    (SELECT to_jsonb(c) FROM conversations c WHERE c.customer_id = i.customer_id AND c.status <> 'resolved') AS active
             FROM (SELECT 1) one LEFT JOIN customer_identities i ON i.kind = $3 AND i.address = $4`,
            [input.channel, input.providerMessageId, kind, address],
          )
        )[0];
        if (probe.existing) return (await this.findExisting(m, input))!;
        const newCustomer = !probe.customer_id;
        const customerId =
          probe.customer_id ?? (await this.createCustomer(m, input, kind, address));
        // A customer created just now has no conversation yet: nothing to look up.
        const { conversation, newConversation } = newCustomer
          ? await this.openConversation(m, customerId, input)
          : await this.resolveConversation(m, customerId, input, probe.active);
        const messageId = randomUUID();
        const attachments = this.prepareAttachments(input.attachments ?? []);
        const written = (
          await preparedQueryIn<{ message: Row | null; conversation: Row | null }>(
            m,
            `WITH msg AS (
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
             SELECT (SELECT to_jsonb(msg) FROM msg) AS message, ${CONVERSATION_WITH_NAME('conv')} AS conversation`,
            [
              messageId,
              customerId,
              conversation?.id ?? null,
              input.kind ?? 'message',
              input.channel,
              (input.text ?? '').slice(0, MAX_TEXT),
              input.html ?? null,
              input.subject ?? null,
              JSON.stringify(attachments.listed),
              address,
              input.providerMessageId,
              Boolean(input.autoReply),
              JSON.stringify(this.metadataOf(input)),
              input.receivedAt ?? null,
              preview(input),
            ],
          )
        )[0];
        if (!written.message) throw new DuplicateDelivery();
        await this.storeAttachments(m, messageId, attachments.rows);
        const conv = written.conversation ?? conversation;
        return {
          message: messageView(written.message),
          conversation: conv ? conversationView(conv) : null,
          customerId,
          created: true,
          newCustomer,
          newConversation,
          ...(written.conversation
            ? { slaCycleRunning: written.conversation.sla_cycle_at != null }
            : {}),
        } satisfies IngestResult;
      })
      .catch(async (e: unknown) => {
        // Same provider id from another sender's transaction: the first one won, return it.
        if (e instanceof DuplicateDelivery)
          return (await this.findExisting(this.db.manager, input))!;
        throw e;
      });
  }

  private async findExisting(
    m: EntityManager,
    input: NormalizedInbound,
  ): Promise<IngestResult | null> {
    const rows = (await m.query(
      `SELECT * FROM messages WHERE channel = $1 AND provider_message_id = $2`,
      [input.channel, input.providerMessageId],
    )) as Row[];
    if (!rows[0]) return null;
    const conv = rows[0].conversation_id
      ? (
          (await m.query(`SELECT * FROM conversations WHERE id = $1`, [
            rows[0].conversation_id,
          ])) as Row[]
        )[0]
      : null;
    return {
      message: messageView(rows[0]),
      conversation: conv ? conversationView(conv) : null,
      customerId: rows[0].customer_id as string,
      created: false,
      newCustomer: false,
      newConversation: false,
    };
  }

  private async createCustomer(
    m: EntityManager,
    input: NormalizedInbound,
    kind: string,
    address: string,
  ): Promise<string> {
    const rows = await preparedQueryIn<{ id: string }>(
      m,
      `WITH c AS (INSERT INTO customers (display_name) VALUES ($1) RETURNING id),
            i AS (INSERT INTO customer_identities (customer_id, kind, channel, address) SELECT id, $2, $3, $4 FROM c)
       SELECT id FROM c`,
      [(input.senderName?.trim() || address).slice(0, 200), kind, input.channel, address],
    );
    return rows[0].id;
  }

  /**
   * The episode this message belongs to: the one an e-mail reply points into, else the customer's
   * active one, else the latest resolved one reopened within the reopen window, else a new one.
   * Auto-replies never reopen anything.
   */
  private async resolveConversation(
    m: EntityManager,
    customerId: string,
    input: NormalizedInbound,
    knownActive?: Row | null,
  ): Promise<{ conversation: Row | null; newConversation: boolean }> {
    if (input.threadRefs?.length) {
      const referenced = (await m.query(
        `SELECT c.* FROM messages msg JOIN conversations c ON c.id = msg.conversation_id
         WHERE msg.channel = $1 AND msg.provider_message_id = ANY($2) AND c.customer_id = $3
         ORDER BY msg.seq DESC LIMIT 1`,
        [input.channel, input.threadRefs, customerId],
      )) as Row[];
      const target = referenced[0];
      if (target) {
        if (target.status === 'resolved' && !input.autoReply)
          return this.reopen(m, target, customerId);
        if (target.status !== 'resolved' && target.status !== 'open' && !input.autoReply)
          return this.reopen(m, target, customerId);
        return { conversation: target, newConversation: false };
      }
    }
    const active =
      knownActive !== undefined
        ? knownActive
          ? [knownActive]
          : []
        : ((await m.query(
            `SELECT * FROM conversations WHERE customer_id = $1 AND status <> 'resolved'`,
            [customerId],
          )) as Row[]);
    if (active[0]) {
      if (active[0].status !== 'open' && !input.autoReply)
        return this.reopen(m, active[0], customerId);
      return { conversation: active[0], newConversation: false };
    }
    const latest = (await m.query(
      `SELECT * FROM conversations WHERE customer_id = $1 AND status = 'resolved'
         AND resolved_at > now() - make_interval(hours => $2) ORDER BY resolved_at DESC LIMIT 1 FOR UPDATE`,
      [customerId, this.config.env.CONVERSATION_REOPEN_HOURS],
    )) as Row[];
    if (input.autoReply) return { conversation: latest[0] ?? null, newConversation: false };
    if (latest[0]) return this.reopen(m, latest[0], customerId);
    return this.openConversation(m, customerId, input);
  }

  /** A new episode, unless an auto-reply (which never opens one) or a concurrent writer's won. */
  private async openConversation(
    m: EntityManager,
    customerId: string,
    input: NormalizedInbound,
  ): Promise<{ conversation: Row | null; newConversation: boolean }> {
    if (input.autoReply) return { conversation: null, newConversation: false };
    const inserted = await preparedQueryIn(
      m,
      `INSERT INTO conversations (customer_id, status, subject, last_channel, last_inbound_channel)
       VALUES ($1, 'open', $2, $3, $3)
       ON CONFLICT (customer_id) WHERE status <> 'resolved' DO NOTHING RETURNING *`,
      [customerId, input.subject ?? null, input.channel],
    );
    if (inserted[0]) return { conversation: inserted[0], newConversation: true };
    const winner = (await m.query(
      `SELECT * FROM conversations WHERE customer_id = $1 AND status <> 'resolved'`,
      [customerId],
    )) as Row[];
    return { conversation: winner[0], newConversation: false };
  }

  /** Reopens `target`; if another episode is already active, the message joins that one instead. */
  private async reopen(m: EntityManager, target: Row, customerId: string) {
    if (target.status === 'resolved') {
      const active = (await m.query(
        `SELECT * FROM conversations WHERE customer_id = $1 AND status <> 'resolved'`,
        [customerId],
      )) as Row[];
      if (active[0]) return { conversation: active[0], newConversation: false };
    }
    const rows = (await m.query(
      `UPDATE conversations SET status = 'open', snoozed_until = NULL, resolved_at = NULL, updated_at = now()
       WHERE id = $1 RETURNING *`,
      [target.id],
    )) as [Row[], number];
    return { conversation: rows[0][0], newConversation: false };
  }

  /** Gives each stored attachment an id and URL up front; rows are written once the message exists. */
  private prepareAttachments(list: Attachment[]): {
    listed: Attachment[];
    rows: Array<{ id: string; a: Attachment }>;
  } {
    const listed: Attachment[] = [];
    const rows: Array<{ id: string; a: Attachment }> = [];
    for (const a of list) {
      const size = a.content?.length ?? a.size;
      if (!a.content || a.content.length > this.config.env.ATTACHMENT_MAX_BYTES) {
        listed.push({ filename: a.filename, contentType: a.contentType, size, url: a.url });
        continue;
      }
      const id = randomUUID();
      rows.push({ id, a });
      listed.push({
        filename: a.filename,
        contentType: a.contentType,
        size,
        url: `/api/v1/attachments/${id}`,
      });
    }
    return { listed, rows };
  }

  private async storeAttachments(
    m: EntityManager,
    messageId: string,
    rows: Array<{ id: string; a: Attachment }>,
  ) {
    for (const { id, a } of rows) {
      await m.query(
        `INSERT INTO attachments (id, message_id, filename, content_type, size, content) VALUES ($1, $2, $3, $4, $5, $6)`,
        [id, messageId, a.filename, a.contentType, a.content!.length, a.content],
      );
    }
  }
}

function preview(input: NormalizedInbound): string {
  const t = (
    input.text ||
    input.subject ||
    (input.attachments?.length ? `[${input.attachments.length} attachment(s)]` : '')
  )
    .replace(/\s+/g, ' ')
    .trim();
  return t.length > PREVIEW_CHARS ? `${t.slice(0, PREVIEW_CHARS - 1)}…` : t;
}
