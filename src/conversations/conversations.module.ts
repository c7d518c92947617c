import { Module } from '@nestjs/common';
import { AttachmentsController } from './attachments.controller';
import { StoredAttachmentsRepository } from './stored-attachments.repository';
import { TimelineRepository } from './timeline.repository';
import { VisibilityRepository } from './visibility.repository';
import { VisibilityService } from './visibility.service';
import { TimelineService } from './timeline.service';

@Module({
  controllers: [AttachmentsController],
  providers: [
    StoredAttachmentsRepository,
    TimelineRepository,
    TimelineService,
    VisibilityService,
    VisibilityRepository,
  ],
  exports: [TimelineService, VisibilityService],
})
export class ConversationsModule {}
