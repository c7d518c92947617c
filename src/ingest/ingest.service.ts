import { Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import type { Attachment, NormalizedInbound } from '../channels/channel-port';
import { AppConfig } from '../config/app-config';
import { normalizeSender } from '../customers/address';
import { withoutNul } from './strip-nul';
import {
  conversationView,
  messageView,
  type ConversationView,
  type MessageView,
} from '../common/views';
import { DomainEvents } from '../events/domain-events';
import { MetricsService } from '../metrics/metrics.service';
import { isUniqueViolation } from '../database/sql-errors';
import { Transactions, type Tx } from '../database/transactions';
import { openEpisode, resolveEpisode } from './conversation-episode';
import { ConversationEpisodesRepository } from './conversation-episodes.repository';
import { displayNameOf, inboundRecord, metadataOf, previewOf, textOf } from './inbound-fields';
import {
  InboundMessagesRepository,
  type ExistingMessage,
  type FirstContactWritten,
} from './inbound-messages.repository';
import { LockedInboundRepository } from './locked-inbound.repository';

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

class DuplicateDelivery extends Error {}

/**
 * Turns one normalized inbound message into timeline state, in one transaction:
 * identity -> customer -> conversation -> message, idempotent on (channel, provider message id).
 */
@Injectable()
export class IngestService {
  constructor(
    private readonly transactions: Transactions,
    private readonly events: DomainEvents,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly inbound: InboundMessagesRepository,
    private readonly locked: LockedInboundRepository,
    private readonly episodes: ConversationEpisodesRepository,
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
    const r = await this.inbound.writeKnown(record);
    if (r === null) return null;
    if (r.message && r.conversation) {
      return {
        message: messageView(r.message),
        conversation: conversationView(r.conversation),
        customerId: r.message.customer_id,
        created: true,
        newCustomer: false,
        newConversation: false,
        slaCycleRunning: r.conversation.sla_cycle_at != null,
      };
    }
    // An open conversation but no insert: this provider message id is already on the timeline.
    if (r.open)
      return existingResult(await this.inbound.existing(input.channel, input.providerMessageId));
    // A sender never seen: one statement, unless a concurrent delivery beats it to the sender.
    if (!r.known && !input.autoReply) {
      const written = await this.inbound.tryFirstContact({
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
    retried = false,
  ): Promise<IngestResult> {
    return this.transactions
      .run(async (tx) => {
        // Serializes deliveries from one sender: duplicates and first contacts cannot race.
        await this.locked.lockSender(tx, `${kind}:${address}`);
        // One round trip: is this a retry, who is the sender, what is their active episode.
        const probe = await this.locked.probe(
          tx,
          input.channel,
          input.providerMessageId,
          kind,
          address,
        );
        if (probe.existing)
          return existingResult(
            await this.inbound.existing(input.channel, input.providerMessageId, tx),
          )!;
        if (!probe.customerId && !input.autoReply)
          return this.firstContact(tx, input, kind, address);
        const newCustomer = !probe.customerId;
        const customerId =
          probe.customerId ??
          (await this.locked.createCustomer(
            tx,
            displayNameOf(input, address),
            kind,
            input.channel,
            address,
          ));
        // A customer created just now has no conversation yet: nothing to look up.
        const { conversation, newConversation } = newCustomer
          ? await openEpisode(this.episodes, tx, customerId, input)
          : await resolveEpisode(
              this.episodes,
              tx,
              customerId,
              input,
              probe.active,
              this.config.env.CONVERSATION_REOPEN_HOURS,
            );
        const messageId = randomUUID();
        const attachments = this.prepareAttachments(input.attachments ?? []);
        const written = await this.locked.writeLocked(tx, {
          id: messageId,
          customerId,
          conversationId: conversation?.id ?? null,
          mkind: input.kind ?? 'message',
          channel: input.channel,
          text: textOf(input),
          html: input.html ?? null,
          subject: input.subject ?? null,
          attachments: JSON.stringify(attachments.listed),
          address,
          providerMessageId: input.providerMessageId,
          autoReply: Boolean(input.autoReply),
          metadata: JSON.stringify(metadataOf(input)),
          receivedAt: input.receivedAt ?? null,
          preview: previewOf(input),
        });
        if (!written.message) throw new DuplicateDelivery();
        await this.locked.storeAttachments(tx, messageId, attachments.rows);
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
          return existingResult(
            await this.inbound.existing(input.channel, input.providerMessageId),
          )!;
        // An optimistic first contact (no lock) committed this sender's identity after our probe
        // looked: once more under the lock, the probe now finds the sender.
        if (!retried && isUniqueViolation(e, 'customer_identities_kind_address'))
          return this.ingestLocked(input, kind, address, true);
        throw e;
      });
  }

  /** A sender never seen before, under their lock: everything in one statement. */
  private async firstContact(
    tx: Tx,
    input: NormalizedInbound,
    kind: string,
    address: string,
  ): Promise<IngestResult> {
    const attachments = this.prepareAttachments(input.attachments ?? []);
    const messageId = randomUUID();
    const written = await this.inbound.writeFirstContact(tx, {
      ...inboundRecord(input, kind, address, attachments.listed),
      display_name: displayNameOf(input, address),
      message_id: messageId,
    });
    if (!written.message) throw new DuplicateDelivery();
    await this.locked.storeAttachments(tx, messageId, attachments.rows);
    return firstContactResult(written);
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
}

/** What ingest answers for a message already on the timeline (null: none). */
function existingResult(existing: ExistingMessage | null): IngestResult | null {
  if (!existing) return null;
  return {
    message: messageView(existing.message),
    conversation: existing.conversation ? conversationView(existing.conversation) : null,
    customerId: existing.message.customer_id,
    created: false,
    newCustomer: false,
    newConversation: false,
  };
}

/** What ingest answers for a first contact written by either statement. */
function firstContactResult(written: FirstContactWritten): IngestResult {
  return {
    message: messageView(written.message!),
    conversation: conversationView(written.conversation),
    customerId: written.customerId,
    created: true,
    newCustomer: true,
    newConversation: true,
    slaCycleRunning: true,
    slaCycle: {
      at: new Date(written.conversation.sla_cycle_at as string),
      policy: written.slaPolicy,
    },
  };
}
