import { getQueueToken, BullModule } from '@nestjs/bullmq';
import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { ConnectionOptions, Queue } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { BullmqDriver } from './bullmq.driver';
import { InProcessDriver } from './in-process.driver';
import { JobQueueService } from './job-queue.service';
import { JobRegistry } from './job-registry';
import { OutboxRepository } from './outbox.repository';
import { QUEUE_DRIVER } from './queue-driver';
import { redisConnectionLog, redisKeyPrefix, redisTarget } from './redis-options';
import { ALL_QUEUES } from './queue-names';

/** BullMQ (@nestjs/bullmq) on Redis (REDIS_URL or REDIS_SENTINELS), the in-process driver otherwise. */
@Global()
@Module({})
export class QueueModule {
  static forRoot(config: AppConfig): DynamicModule {
    const redis = redisTarget(config.env);
    const prefix = redisKeyPrefix(config.env.QUEUE_PREFIX);
    const imports = redis
      ? [
          BullModule.forRoot({
            connection: redis.options as ConnectionOptions,
            prefix,
          }),
          BullModule.registerQueue(...ALL_QUEUES.map((q) => ({ name: q.name }))),
        ]
      : [];
    const driver: Provider = redis
      ? {
          provide: QUEUE_DRIVER,
          // Injected by token so Nest builds every BullMQ queue before the driver.
          inject: ALL_QUEUES.map((q) => getQueueToken(q.name)),
          useFactory: (...queues: Queue[]) =>
            new BullmqDriver(
              new Map(ALL_QUEUES.map((q, i) => [q.name, queues[i]])),
              redis.options as ConnectionOptions,
              prefix,
              redisConnectionLog.listener(redis),
            ),
        }
      : { provide: QUEUE_DRIVER, useFactory: () => new InProcessDriver() };
    return {
      module: QueueModule,
      imports: [DiscoveryModule, ...imports],
      providers: [driver, JobRegistry, OutboxRepository, JobQueueService],
      exports: [JobQueueService, OutboxRepository],
    };
  }
}
