import { Module } from '@nestjs/common';
import { SandboxController } from './sandbox.controller';
import { ChannelsModule } from '../channels/channels.module';
import { IngestModule } from '../ingest/ingest.module';

@Module({ imports: [IngestModule, ChannelsModule], controllers: [SandboxController] })
export class SandboxModule {}
