import { Module } from '@nestjs/common';
import { SandboxController } from './sandbox.controller';
import { SandboxSmsKeywords } from './sandbox-sms-keywords.service';
import { ChannelsModule } from '../channels/channels.module';
import { IngestModule } from '../ingest/ingest.module';
import { TwilioModule } from '../twilio/twilio.module';

@Module({
  imports: [IngestModule, ChannelsModule, TwilioModule],
  controllers: [SandboxController],
  providers: [SandboxSmsKeywords],
})
export class SandboxModule {}
