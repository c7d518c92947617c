import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AttachmentsController } from './attachments.controller';
import { Conversation } from './entities/conversation.entity';
import { Message } from './entities/message.entity';
import { StoredAttachment } from './entities/stored-attachment.entity';
import { TimelineService } from './timeline.service';

@Module({
  imports: [TypeOrmModule.forFeature([Conversation, Message, StoredAttachment])],
  controllers: [AttachmentsController],
  providers: [TimelineService],
  exports: [TimelineService],
})
export class ConversationsModule {}
