import { Module } from '@nestjs/common';
import { JobRetentionRepository } from './job-retention.repository';
import { JobRetentionService } from './job-retention.service';
import { PrivacyController } from './privacy.controller';
import { PrivacyRepository } from './privacy.repository';
import { PrivacyService } from './privacy.service';
import { QueuedJobRemover } from './queued-jobs.remover';
import { AuditModule } from '../audit/audit.module';

/** Export and erasure of a customer's data; finished jobs' retention. */
@Module({
  imports: [AuditModule],
  controllers: [PrivacyController],
  providers: [
    PrivacyService,
    PrivacyRepository,
    QueuedJobRemover,
    JobRetentionService,
    JobRetentionRepository,
  ],
})
export class PrivacyModule {}
