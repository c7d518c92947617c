import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Attachment, NormalizedInbound } from '../channels/channel-port';
import { AppConfig } from '../config/app-config';
import { normalizeSender } from '../customers/address';
import { withoutNul } from './strip-nul';
import {
  conversationView,
  messageView,
  type ConversationView,
  type MessageView,
} from '../conversations/views';
import { DomainEvents } from '../events/domain-events';
import { MetricsService } from '../metrics/metrics.service';
import { preparedQueryIn } from '../common/prepared-query';
import { openEpisode, resolveEpisode } from './conversation-episode';
import { firstContactResult, tryFirstContact, writeFirstContact } from './first-contact';
import { displayNameOf, inboundRecord, metadataOf, previewOf, textOf } from './inbound-fields';
import { CONVERSATION_WITH_NAME, KnownSenderWrites } from './known-sender-writes';

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
  /** A first contact's conversation opens with its SLA cycle begun: when, and the policy that applies. */
  slaCycle?: { at: Date; policy: Record<string, unknown> | null };
}

type Row = Record<string, unknown>;
class DuplicateDelivery extends Error {}

/**
 * Turns one normalized inbound message into timeline state, in one transaction:
 * identity -> customer -> conversation -> message, idempotent on (channel, provider message id).
 */
@Injectable()
export class IngestService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: DomainEvents,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly knownSenders: KnownSenderWrites,
  ) {}

  async ingest(raw: NormalizedInbound): Promise<IngestResult> {
    const input = withoutNul(raw);
    const { kind, address } = normalizeSender(input.channel, input.from, 'from');
    const result =
      (await this.ingestReturning(input, kind, address)) ??
      (await this.ingestLocked(input, kind, address));
    if (result.created) {
      this.metrics.inboundMessages.inc({ channel: input.channel });
      if (result.conversation) {
        if (result.newConversation)
          this.events.emit('conversation.created', {
            conversation: result.conversation,
            newCustomer: result.newCustomer,
            slaCycle: result.slaCycle,
          });
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
    // No attachment here has content to store (those take the locked path): listed only.
    const record = inboundRecord(
      input,
      kind,
      address,
      this.prepareAttachments(input.attachments ?? []).listed,
    );
    const r = await this.knownSenders.write(record);
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
    // A sender never seen: one statement, unless a concurrent delivery beats it to the sender.
    if (!r.known && !input.autoReply) {
      const written = await tryFirstContact(this.db, {
        ...record,
        display_name: displayNameOf(input, address),
        message_id: randomUUID(),
      });
      return written && firstContactResult(written);
    }
    return null;
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
        if (!probe.customer_id && !input.autoReply)
          return this.firstContact(m, input, kind, address);
        const newCustomer = !probe.customer_id;
        const customerId =
          probe.customer_id ?? (await this.createCustomer(m, input, kind, address));
        // A customer created just now has no conversation yet: nothing to look up.
        const { conversation, newConversation } = newCustomer
          ? await openEpisode(m, customerId, input)
          : await resolveEpisode(
              m,
              customerId,
              input,
              probe.active,
              this.config.env.CONVERSATION_REOPEN_HOURS,
            );
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
              textOf(input),
              input.html ?? null,
              input.subject ?? null,
              JSON.stringify(attachments.listed),
              address,
              input.providerMessageId,
              Boolean(input.autoReply),
              JSON.stringify(metadataOf(input)),
              input.receivedAt ?? null,
              previewOf(input),
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

  /** A sender never seen before, under their lock: everything in one statement. */
  private async firstContact(
    m: EntityManager,
    input: NormalizedInbound,
    kind: string,
    address: string,
  ): Promise<IngestResult> {
    const attachments = this.prepareAttachments(input.attachments ?? []);
    const messageId = randomUUID();
    const written = await writeFirstContact(m, {
      ...inboundRecord(input, kind, address, attachments.listed),
      display_name: displayNameOf(input, address),
      message_id: messageId,
    });
    if (!written.message) throw new DuplicateDelivery();
    await this.storeAttachments(m, messageId, attachments.rows);
    return firstContactResult(written);
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
      [displayNameOf(input, address), kind, input.channel, address],
    );
    return rows[0].id;
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
