import { Injectable } from '@nestjs/common';
import { parseSmsStatus } from '../../channel-adapters/sms';
import { field } from '../../channel-adapters/twilio-common';
import { parseCallStatus } from '../../channel-adapters/voice';
import { isWhatsappAddress } from '../../channel-adapters/whatsapp';
import type { InboundRequest, StatusUpdate } from '../channels/channel-port';
import type { Channel } from '../common/names';
import { StatusCallbacksService, type AppliedStatus } from '../delivery/status-callbacks.service';
import { JobHandler } from '../queue/job-handler.decorator';
import { JobQueueService } from '../queue/job-queue.service';
import { QUEUES } from '../queue/queue-names';
import { SmsConsentService } from './sms-consent.service';

const OPT_OUT_CODE = '21610';

/** A status callback reduced to what applies it: channel, update and Twilio's own status word. */
export interface TwilioStatus {
  channel: Channel;
  update: StatusUpdate;
  providerStatus?: string;
}

/** Message and call status callbacks -> delivery status (one way), 21610 -> opt-out. */
@Injectable()
export class TwilioStatusService {
  constructor(
    private readonly statuses: StatusCallbacksService,
    private readonly consent: SmsConsentService,
    private readonly queue: JobQueueService,
  ) {}

  /** A Messages callback (MessageSid) or a Calls callback (CallSid), else null. */
  parse(request: InboundRequest): TwilioStatus | null {
    const sms = parseSmsStatus(request);
    if (sms)
      return {
        // WhatsApp's callbacks are SMS's with `whatsapp:` addresses (and a `read` status).
        channel:
          isWhatsappAddress(field(request.body, 'To')) ||
          isWhatsappAddress(field(request.body, 'From'))
            ? 'whatsapp'
            : 'sms',
        update: sms,
        providerStatus: field(request.body, 'MessageStatus') ?? field(request.body, 'SmsStatus'),
      };
    const call = parseCallStatus(request);
    if (call)
      return { channel: 'voice', update: call, providerStatus: field(request.body, 'CallStatus') };
    return null;
  }

  /**
   * Applies it now; a callback that beats our own record of the send (the attempt row is written
   * after Twilio answers) is queued and retried until the attempt exists.
   */
  async handle(status: TwilioStatus): Promise<AppliedStatus | null> {
    const applied = await this.apply(status);
    if (!applied) {
      await this.queue.enqueue({
        queue: QUEUES.status.name,
        name: 'twilio-status',
        payload: { ...status },
        dedupeKey: `twilio-status:${status.update.providerMessageId}:${status.update.status}:${status.update.errorCode ?? ''}`,
        maxAttempts: 8,
      });
    }
    return applied;
  }

  /** Applies it now only; null when no attempt carries the provider id (not queued). */
  applyNow(status: TwilioStatus): Promise<AppliedStatus | null> {
    return this.apply(status);
  }

  @JobHandler('status', 'twilio-status')
  async retry(payload: Record<string, unknown>): Promise<void> {
    const status = payload as unknown as TwilioStatus;
    const applied = await this.apply(status);
    if (!applied)
      throw new Error(
        `no ${status.channel} attempt with provider id ${status.update.providerMessageId} yet`,
      );
  }

  private async apply(status: TwilioStatus): Promise<AppliedStatus | null> {
    const applied = await this.statuses.apply(status.channel, status.update, status.providerStatus);
    const channel = status.channel;
    if (
      applied &&
      (channel === 'sms' || channel === 'whatsapp') &&
      status.update.errorCode === OPT_OUT_CODE
    ) {
      await this.consent.fromOptOutError(
        applied.customerId,
        { errorCode: OPT_OUT_CODE, messageId: applied.messageId },
        channel,
      );
    }
    return applied;
  }
}
