import { Module } from '@nestjs/common';
import { AttachmentsController } from './attachments.controller';
import { VisibilityRepository } from '../inbox/visibility.repository';
import { VisibilityService } from '../inbox/visibility.service';
import { TimelineService } from './timeline.service';

@Module({
  controllers: [AttachmentsController],
  providers: [TimelineService, VisibilityService, VisibilityRepository],
  exports: [TimelineService, VisibilityService],
})
export class ConversationsModule {}
