import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { CustomersModule } from '../customers/customers.module';
import { TemplateDraftsController } from './template-drafts.controller';
import { PreviewCustomersRepository } from './preview-customers.repository';
import { TemplatePreviewService } from './template-preview.service';
import { TemplatesModule } from './templates.module';

/** The template editor: drafts, publication, previews against customers, test sends. */
@Module({
  imports: [TemplatesModule, CustomersModule, ChannelsModule],
  controllers: [TemplateDraftsController],
  providers: [TemplatePreviewService, PreviewCustomersRepository],
})
export class TemplateDraftsModule {}
