import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { normalizeVoiceEvent, type VoiceEventKind } from '../../channel-adapters/voice';
import type { Attachment, NormalizedInbound } from '../channels/channel-port';
import { messageView } from '../conversations/views';
import { DomainEvents } from '../events/domain-events';
import { InboundService } from '../ingest/inbound.service';
import { JobHandler } from '../queue/job-handler.decorator';
import { JobQueueService } from '../queue/job-queue.service';
import { QUEUES } from '../queue/queue-names';

type Row = Record<string, unknown>;

/**
 * Inbound calls on the timeline: the call webhook creates ONE `kind: call` item keyed by CallSid;
 * recording, transcription and status callbacks merge into it (metadata, recording attachment,
 * transcript as its text). A callback that arrives before the call item exists is queued and
 * retried until it can merge.
 */
@Injectable()
export class VoiceCallsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly inbound: InboundService,
    private readonly events: DomainEvents,
    private readonly queue: JobQueueService,
  ) {}

  /** A customer calls: the call item is created (or found, for a retried webhook); returns their locale. */
  async incomingCall(
    body: Record<string, unknown>,
  ): Promise<{ messageId: string; locale: string }> {
    const result = await this.inbound.receive(normalizeVoiceEvent('call', body));
    const rows = (await this.db.query(`SELECT locale FROM customers WHERE id = $1`, [
      result.customerId,
    ])) as Array<{ locale: string }>;
    return { messageId: result.message.id, locale: rows[0]?.locale ?? 'en' };
  }

  async callback(kind: VoiceEventKind, body: Record<string, unknown>): Promise<void> {
    const item = normalizeVoiceEvent(kind, body);
    if (await this.merge(item)) return;
    if (item.from) {
      const result = await this.inbound.receive(item);
      if (result.created || (await this.merge(item))) return;
    }
    await this.queue.enqueue({
      queue: QUEUES.inbound.name,
      name: 'twilio-voice-callback',
      payload: { kind, body },
      dedupeKey: `twilio-voice:${item.providerMessageId}:${kind}:${String(body.RecordingSid ?? body.TranscriptionSid ?? body.CallStatus ?? '')}`,
      maxAttempts: 8,
    });
  }

  @JobHandler('inbound', 'twilio-voice-callback')
  async retry(payload: Record<string, unknown>): Promise<void> {
    const item = normalizeVoiceEvent(
      payload.kind as VoiceEventKind,
      payload.body as Record<string, unknown>,
    );
    if (!(await this.merge(item)))
      throw new Error(`no call item for ${item.providerMessageId} yet`);
  }

  /** Merges a callback into the inbound call item; false when there is none. */
  private async merge(item: NormalizedInbound): Promise<boolean> {
    const row = await this.db.transaction(async (m) => {
      const found = (await m.query(
        `SELECT * FROM messages WHERE channel = 'voice' AND provider_message_id = $1 AND direction = 'inbound' FOR UPDATE`,
        [item.providerMessageId],
      )) as Row[];
      const current = found[0];
      if (!current) return null;
      const metadata = { ...((current.metadata as Row) ?? {}), ...(item.metadata ?? {}) };
      const attachments = mergeAttachments(
        (current.attachments as Attachment[]) ?? [],
        item.attachments ?? [],
      );
      const text =
        typeof metadata.transcript === 'string' && metadata.transcript
          ? metadata.transcript
          : metadata.recordingDuration !== undefined
            ? `Voicemail (${String(metadata.recordingDuration)} s)`
            : item.text;
      const updated = (await m.query(
        `UPDATE messages SET metadata = $2, attachments = $3, text = $4, updated_at = now() WHERE id = $1 RETURNING *`,
        [current.id, JSON.stringify(metadata), JSON.stringify(attachments), text],
      )) as [Row[], number];
      return updated[0][0];
    });
    if (!row) return false;
    this.events.emit('message.updated', { message: messageView(row) });
    return true;
  }
}

function mergeAttachments(current: Attachment[], incoming: Attachment[]): Attachment[] {
  const urls = new Set(current.map((a) => a.url));
  return [...current, ...incoming.filter((a) => !urls.has(a.url))];
}
