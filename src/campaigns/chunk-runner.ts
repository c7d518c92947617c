import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { JobHandler } from '../queue/job-handler.decorator';
import { JobQueueService } from '../queue/job-queue.service';
import { OutboxRepository } from '../queue/outbox.repository';
import { QUEUES } from '../queue/queue-names';
import { withSendRates } from '../queue/send-rates';
import { CHUNK_JOB, messageJob, parseChunk } from './chunk-job';

/** Messages staged at a time: each one's row waits as 'pending' only while its group runs. */
const GROUP = 64;
/** Message jobs of one chunk running at once (each is a few queries and one provider call). */
const CONCURRENCY = 8;

/**
 * Runs campaign chunks (see chunk-job.ts), one handler per queue a chunk can wait on. Re-running
 * a chunk (a retry, or the sweeper after a crash) stages only the messages it has not staged
 * before (ON CONFLICT on the dedupe key); those staged earlier belong to their own rows by then.
 */
@Injectable()
export class CampaignChunkRunner {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly queue: JobQueueService,
    private readonly config: AppConfig,
  ) {}

  @JobHandler('delivery-email', CHUNK_JOB.name)
  email(payload: Record<string, unknown>): Promise<void> {
    return this.run(QUEUES.deliveryEmail.name, payload);
  }

  @JobHandler('delivery-sms', CHUNK_JOB.name)
  sms(payload: Record<string, unknown>): Promise<void> {
    return this.run(QUEUES.deliverySms.name, payload);
  }

  @JobHandler('delivery-voice', CHUNK_JOB.name)
  voice(payload: Record<string, unknown>): Promise<void> {
    return this.run(QUEUES.deliveryVoice.name, payload);
  }

  @JobHandler('delivery-wechat', CHUNK_JOB.name)
  wechat(payload: Record<string, unknown>): Promise<void> {
    return this.run(QUEUES.deliveryWechat.name, payload);
  }

  @JobHandler('delivery-livechat', CHUNK_JOB.name)
  livechat(payload: Record<string, unknown>): Promise<void> {
    return this.run(QUEUES.deliveryLivechat.name, payload);
  }

  @JobHandler('delivery-whatsapp', CHUNK_JOB.name)
  whatsapp(payload: Record<string, unknown>): Promise<void> {
    return this.run(QUEUES.deliveryWhatsapp.name, payload);
  }

  @JobHandler('timers', CHUNK_JOB.name)
  timers(payload: Record<string, unknown>): Promise<void> {
    return this.run(QUEUES.timers.name, payload);
  }

  async run(queue: string, payload: Record<string, unknown>): Promise<void> {
    const chunk = parseChunk(payload);
    // A send rate is a limit on queue jobs: the rows go to the queue and its limiter paces them.
    const paced =
      withSendRates([{ name: queue, concurrency: 1 }], this.config)[0].limiter !== undefined;
    const group = paced ? 1000 : GROUP;
    for (let i = 0; i < chunk.messageIds.length; i += group) {
      const staged = await this.outbox.stageNew(
        chunk.messageIds.slice(i, i + group).map((id) => messageJob(chunk.kind, queue, id)),
      );
      if (paced) await this.queue.dispatchAll(staged);
      else await runPooled(staged, CONCURRENCY, (j) => this.queue.run(j.id));
    }
  }
}

/** Runs `task` over `items`, at most `limit` at a time; every task settles before the first error is thrown. */
async function runPooled<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++];
        try {
          await task(item);
        } catch (e) {
          errors.push(e);
        }
      }
    }),
  );
  if (errors.length > 0) throw errors[0];
}
