import { Module } from '@nestjs/common';
import { AttachmentLinksService } from './attachment-links.service';
import { AttachmentsController } from './attachments.controller';
import { SettingsRepository } from '../settings/settings.repository';
import { SettingsService } from '../settings/settings.service';
import { UploadsService } from './uploads.service';
import { StoredAttachmentsRepository } from './stored-attachments.repository';
import { TimelineRepository } from './timeline.repository';
import { VisibilityRepository } from './visibility.repository';
import { VisibilityService } from './visibility.service';
import { TimelineService } from './timeline.service';

@Module({
  controllers: [AttachmentsController],
  providers: [
    AttachmentLinksService,
    SettingsRepository,
    SettingsService,
    StoredAttachmentsRepository,
    TimelineRepository,
    TimelineService,
    UploadsService,
    VisibilityService,
    VisibilityRepository,
  ],
  exports: [TimelineService, VisibilityService],
})
export class ConversationsModule {}
