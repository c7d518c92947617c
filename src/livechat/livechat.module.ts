import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { LivechatFallbackService } from './livechat-fallback.service';
import { LivechatTypingService } from './livechat-typing.service';
import { LivechatGateway } from './livechat.gateway';
import { LivechatService } from './livechat.service';
import { VisitorTokensService } from './visitor-tokens.service';
import { WidgetController } from './widget.controller';

/** Live chat: the /chat socket.io namespace, visitor tokens, email fallback, /widget.js and /demo. */
@Module({
  imports: [CustomersModule],
  controllers: [WidgetController],
  providers: [
    LivechatService,
    VisitorTokensService,
    LivechatGateway,
    LivechatFallbackService,
    LivechatTypingService,
  ],
  exports: [LivechatService, LivechatTypingService, LivechatFallbackService],
})
export class LivechatModule {}
