import { Injectable } from '@nestjs/common';
import { normalizeSmsInbound } from '../../channel-adapters/sms';
import { field } from '../../channel-adapters/twilio-common';
import { isWhatsappAddress, normalizeWhatsappInbound } from '../../channel-adapters/whatsapp';
import type { InboundRequest } from '../channels/channel-port';
import { DomainError } from '../common/errors/domain-error';
import { InboundService } from '../ingest/inbound.service';
import { stripNul } from '../ingest/strip-nul';
import { JobHandler, PermanentJobError } from '../queue/job-handler.decorator';
import { JobQueueService } from '../queue/job-queue.service';
import { QUEUES } from '../queue/queue-names';
import { SmsKeywordService } from './sms-keywords.service';

/** What the webhook keeps of a verified request: enough to ingest it again after a crash. */
export interface SmsWebhookJob {
  body: Record<string, unknown>;
  idempotencyToken?: string;
}

/**
 * Inbound SMS (and WhatsApp, on the same webhook) is stored as an outbox job before Twilio gets its 200 (nothing accepted is lost);
 * the job ingests it (idempotent on MessageSid) and applies STOP/START keywords (SmsKeywordService), retried with
 * backoff when the database or a hook fails.
 */
@Injectable()
export class SmsInboundJobs {
  constructor(
    private readonly queue: JobQueueService,
    private readonly inbound: InboundService,
    private readonly keywords: SmsKeywordService,
  ) {}

  async accept(messageSid: string, job: SmsWebhookJob): Promise<void> {
    await this.queue.enqueue({
      queue: QUEUES.inbound.name,
      name: 'twilio-sms',
      // The job row is jsonb, which takes no NUL: the form fields are kept with U+FFFD instead.
      payload: stripNul({ ...job }),
      dedupeKey: `twilio-sms:${messageSid}`,
      maxAttempts: 10,
    });
  }

  @JobHandler('inbound', 'twilio-sms')
  async ingest(payload: Record<string, unknown>): Promise<void> {
    const job = payload as unknown as SmsWebhookJob;
    const request: InboundRequest = {
      url: '',
      method: 'POST',
      headers: job.idempotencyToken ? { 'i-twilio-idempotency-token': job.idempotencyToken } : {},
      body: job.body,
    };
    // WhatsApp arrives on the same webhook, its From prefixed `whatsapp:`.
    const whatsapp = isWhatsappAddress(field(job.body, 'From'));
    const [normalized] = whatsapp
      ? normalizeWhatsappInbound(request)
      : normalizeSmsInbound(request);
    if (!normalized) throw new PermanentJobError('twilio-sms job without MessageSid or From');
    const result = await this.inbound.receive(normalized).catch((e: unknown) => {
      // A message the hub cannot store as it is (bad input, not a passing failure) is not retried.
      if (e instanceof DomainError && e.code === 'bad_request')
        throw new PermanentJobError(`twilio-sms: ${e.message}`);
      throw e;
    });
    // Applied on every run (idempotent per message): a retry after a failed consent write still records it.
    await this.keywords.apply({
      customerId: result.customerId,
      messageId: result.message.id,
      body: normalized.text,
      optOutType: field(job.body, 'OptOutType'),
      transport: 'twilio',
      channel: whatsapp ? 'whatsapp' : 'sms',
    });
  }
}
