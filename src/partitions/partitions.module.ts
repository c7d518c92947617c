import { Module } from '@nestjs/common';
import { PartitionMaintenanceService } from './partition-maintenance.service';
import { PartitionsRepository } from './partitions.repository';

/** The monthly partitions of messages, delivery attempts, tracking events and finished jobs. */
@Module({ providers: [PartitionMaintenanceService, PartitionsRepository] })
export class PartitionsModule {}
