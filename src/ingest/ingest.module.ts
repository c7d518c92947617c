import { Module } from '@nestjs/common';
import { InboundService } from './inbound.service';
import { IngestService } from './ingest.service';
import { KnownSenderWrites } from './known-sender-writes';

@Module({
  providers: [IngestService, InboundService, KnownSenderWrites],
  exports: [IngestService, InboundService],
})
export class IngestModule {}
