export { EmailModule } from './email.module';
export { EmailInboundService } from './email-inbound.service';
export { EmailReceiverService } from './email-receiver.service';
