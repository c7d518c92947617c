import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AttachmentsController } from './attachments.controller';
import { Conversation } from './entities/conversation.entity';
import { Message } from './entities/message.entity';
import { StoredAttachment } from './entities/stored-attachment.entity';
import { VisibilityRepository } from './visibility.repository';
import { VisibilityService } from './visibility.service';
import { TimelineService } from './timeline.service';

@Module({
  imports: [TypeOrmModule.forFeature([Conversation, Message, StoredAttachment])],
  controllers: [AttachmentsController],
  providers: [TimelineService, VisibilityService, VisibilityRepository],
  exports: [TimelineService, VisibilityService],
})
export class ConversationsModule {}
