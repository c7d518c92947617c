import { Injectable } from '@nestjs/common';
import { normalizeVoiceEvent, type VoiceEventKind } from '../../channel-adapters/voice';
import type { Attachment, NormalizedInbound } from '../channels/channel-port';
import { Transactions } from '../database/transactions';
import { DomainEvents } from '../events/domain-events';
import { InboundService } from '../ingest/inbound.service';
import { JobHandler } from '../queue/job-handler.decorator';
import { JobQueueService } from '../queue/job-queue.service';
import { QUEUES } from '../queue/queue-names';
import { VoiceCallsRepository } from './voice-calls.repository';

/**
 * Inbound calls on the timeline: the call webhook creates ONE `kind: call` item keyed by CallSid;
 * recording, transcription and status callbacks merge into it (metadata, recording attachment,
 * transcript as its text). A callback that arrives before the call item exists is queued and
 * retried until it can merge.
 */
@Injectable()
export class VoiceCallsService {
  constructor(
    private readonly calls: VoiceCallsRepository,
    private readonly transactions: Transactions,
    private readonly inbound: InboundService,
    private readonly events: DomainEvents,
    private readonly queue: JobQueueService,
  ) {}

  /** A customer calls: the call item is created (or found, for a retried webhook); returns their locale. */
  async incomingCall(
    body: Record<string, unknown>,
  ): Promise<{ messageId: string; locale: string }> {
    const result = await this.inbound.receive(normalizeVoiceEvent('call', body));
    const locale = await this.calls.localeOf(result.customerId);
    return { messageId: result.message.id, locale: locale ?? 'en' };
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
    const message = await this.transactions.run(async (tx) => {
      const current = await this.calls.lockCall(item.providerMessageId, tx);
      if (!current) return null;
      const metadata = { ...(current.metadata ?? {}), ...(item.metadata ?? {}) };
      const attachments = mergeAttachments(current.attachments, item.attachments ?? []);
      const text =
        typeof metadata.transcript === 'string' && metadata.transcript
          ? metadata.transcript
          : metadata.recordingDuration !== undefined
            ? `Voicemail (${String(metadata.recordingDuration)} s)`
            : item.text;
      return this.calls.updateCall(current.id, { metadata, attachments, text }, tx);
    });
    if (!message) return false;
    this.events.emit('message.updated', { message });
    return true;
  }
}

function mergeAttachments(current: Attachment[], incoming: Attachment[]): Attachment[] {
  const urls = new Set(current.map((a) => a.url));
  return [...current, ...incoming.filter((a) => !urls.has(a.url))];
}
