import { Module } from '@nestjs/common';
import { StatusCallbacksService } from '../delivery/status-callbacks.service';
import { SmsConsentRepository } from './sms-consent.repository';
import { SmsConsentService } from './sms-consent.service';
import { SmsInboundJobs } from './sms-inbound.jobs';
import { SmsWebhookController } from './sms-webhook.controller';
import { StatusWebhookController } from './status-webhook.controller';
import { TwilioStatusService } from './twilio-status.service';
import { TwilioWebhookAuth } from './twilio-webhook-auth.service';
import { VoiceCallsRepository } from './voice-calls.repository';
import { VoiceCallsService } from './voice-calls.service';
import { VoiceWebhookController } from './voice-webhook.controller';
import { ConsentModule } from '../consent/consent.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { IngestModule } from '../ingest/ingest.module';

/** Twilio webhooks: inbound SMS (keywords), status callbacks, inbound calls and voicemail. */
@Module({
  imports: [IngestModule, ConsentModule, DeliveryModule],
  controllers: [SmsWebhookController, StatusWebhookController, VoiceWebhookController],
  providers: [
    TwilioWebhookAuth,
    SmsConsentService,
    SmsConsentRepository,
    SmsInboundJobs,
    StatusCallbacksService,
    TwilioStatusService,
    VoiceCallsService,
    VoiceCallsRepository,
  ],
  exports: [StatusCallbacksService],
})
export class TwilioModule {}
