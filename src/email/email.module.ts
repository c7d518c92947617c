import { Module } from '@nestjs/common';
import { EmailBounceHook } from './email-bounce.hook';
import { EmailInboundService } from './email-inbound.service';
import { EmailReceiverService } from './email-receiver.service';
import { EmailWebhookController } from './email-webhook.controller';

/** Email in: the SMTP receiver, the inbound webhook and bounce handling. */
@Module({
  controllers: [EmailWebhookController],
  providers: [EmailInboundService, EmailReceiverService, EmailBounceHook],
  exports: [EmailInboundService, EmailReceiverService],
})
export class EmailModule {}
