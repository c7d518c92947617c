import { Module } from '@nestjs/common';
import { AttachmentsController } from './attachments.controller';
import { VisibilityRepository } from './visibility.repository';
import { VisibilityService } from './visibility.service';
import { TimelineService } from './timeline.service';

@Module({
  controllers: [AttachmentsController],
  providers: [TimelineService, VisibilityService, VisibilityRepository],
  exports: [TimelineService, VisibilityService],
})
export class ConversationsModule {}
