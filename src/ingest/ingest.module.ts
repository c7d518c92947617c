import { Global, Module } from '@nestjs/common';
import { InboundService } from './inbound.service';
import { IngestService } from './ingest.service';

@Global()
@Module({ providers: [IngestService, InboundService], exports: [IngestService, InboundService] })
export class IngestModule {}
