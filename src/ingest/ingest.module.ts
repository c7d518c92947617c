import { Module } from '@nestjs/common';
import { ConversationEpisodesRepository } from './conversation-episodes.repository';
import { InboundMessagesRepository } from './inbound-messages.repository';
import { InboundService } from './inbound.service';
import { IngestService } from './ingest.service';
import { LockedInboundRepository } from './locked-inbound.repository';

@Module({
  providers: [
    IngestService,
    InboundService,
    InboundMessagesRepository,
    LockedInboundRepository,
    ConversationEpisodesRepository,
  ],
  exports: [IngestService, InboundService],
})
export class IngestModule {}
