import { Module } from '@nestjs/common';
import { StatusCallbacksService } from '../delivery/status-callbacks.service';
import { SmsConsentRepository } from './sms-consent.repository';
import { SmsConsentService } from './sms-consent.service';
import { SmsInboundJobs } from './sms-inbound.jobs';
import { SmsKeywordService } from './sms-keywords.service';
import { SmsWebhookController } from './sms-webhook.controller';
import { StatusWebhookController } from './status-webhook.controller';
import { TwilioStatusService } from './twilio-status.service';
import { TwilioWebhookAuth } from './twilio-webhook-auth.service';
import { VoiceCallsRepository } from './voice-calls.repository';
import { VoiceCallsService } from './voice-calls.service';
import { VoiceWebhookController } from './voice-webhook.controller';
import { ConsentModule } from '../consent/consent.module';
import { CustomersModule } from '../customers/customers.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { IngestModule } from '../ingest/ingest.module';

/** Twilio webhooks: inbound SMS (keywords), status callbacks, inbound calls and voicemail. */
@Module({
  imports: [IngestModule, ConsentModule, CustomersModule, DeliveryModule],
  controllers: [SmsWebhookController, StatusWebhookController, VoiceWebhookController],
  providers: [
    TwilioWebhookAuth,
    SmsConsentService,
    SmsConsentRepository,
    SmsInboundJobs,
    SmsKeywordService,
    StatusCallbacksService,
    TwilioStatusService,
    VoiceCallsService,
    VoiceCallsRepository,
  ],
  exports: [StatusCallbacksService, SmsKeywordService],
})
export class TwilioModule {}
