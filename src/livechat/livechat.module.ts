import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { MessagesModule } from '../messages/messages.module';
import { IdentityClaimsController } from './identity-claims.controller';
import { IdentityClaimsRepository } from './identity-claims.repository';
import { LivechatFallbackService } from './livechat-fallback.service';
import { LivechatIdentityService } from './livechat-identity.service';
import { LivechatTypingService } from './livechat-typing.service';
import { LivechatGateway } from './livechat.gateway';
import { LivechatRepository } from './livechat.repository';
import { LivechatService } from './livechat.service';
import { ChatLimiters } from './rate-limit';
import { VerificationCodesService } from './verification-codes.service';
import { VisitorTokensService } from './visitor-tokens.service';
import { WidgetController } from './widget.controller';
import { AuthModule } from '../auth/auth.module';
import { ChannelsModule } from '../channels/channels.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { IngestModule } from '../ingest/ingest.module';

/**
 * Live chat: the /chat socket.io namespace, visitor tokens and their limits, proven visitor
 * identities (hash or one-time code), email fallback, /widget.js and /demo.
 */
@Module({
  imports: [
    IngestModule,
    DeliveryModule,
    ChannelsModule,
    AuthModule,
    CustomersModule,
    MessagesModule,
  ],
  controllers: [WidgetController, IdentityClaimsController],
  providers: [
    LivechatService,
    LivechatRepository,
    LivechatIdentityService,
    IdentityClaimsRepository,
    VerificationCodesService,
    ChatLimiters,
    VisitorTokensService,
    LivechatGateway,
    LivechatFallbackService,
    LivechatTypingService,
  ],
  exports: [LivechatService, LivechatTypingService, LivechatFallbackService],
})
export class LivechatModule {}
