export { EmailModule } from './email.module';
export { EmailInboundService } from './email-inbound.service';
export { EmailReceiverService } from './email-receiver.service';
export { emailThreadHeaders, type EmailThreadHeaders } from './email-thread-headers';
