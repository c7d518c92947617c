import { Module } from '@nestjs/common';
import { EmailBounceHook } from './email-bounce.hook';
import { EmailFeedbackHook } from './email-feedback.hook';
import { EmailInboundService } from './email-inbound.service';
import { EmailReceiverService } from './email-receiver.service';
import { EmailReportsRepository } from './email-reports.repository';
import { EmailWebhookController } from './email-webhook.controller';
import { ConsentModule } from '../consent/consent.module';
import { IngestModule } from '../ingest/ingest.module';

/** Email in: the SMTP receiver, the inbound webhook, bounces, complaints and read receipts. */
@Module({
  imports: [IngestModule, ConsentModule],
  controllers: [EmailWebhookController],
  providers: [
    EmailInboundService,
    EmailReceiverService,
    EmailReportsRepository,
    EmailBounceHook,
    EmailFeedbackHook,
  ],
  exports: [EmailInboundService, EmailReceiverService],
})
export class EmailModule {}
