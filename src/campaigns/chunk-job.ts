/**
 * A campaign's sends and first fallback checks travel in chunks: one outbox row (and one queue
 * job) per delivery queue and due time of a batch, carrying the message ids, instead of one row
 * and one queue job per message. When a chunk runs, it stages each message's own job row (the
 * same row DeliveryService.stageSend or FallbackService.arm would write, same dedupe key) and
 * runs it right there, or, on a channel with a send rate, hands the rows to the queue so the
 * limiter paces them. From there on a message's job is like any other: claimed once, retried
 * with backoff, re-driven by the sweeper. Pure definitions; the runner is chunk-runner.ts.
 */
import { SEND_MAX_ATTEMPTS } from '../delivery/delivery.service';
import { FALLBACK_JOB, fallbackDedupeKey } from '../delivery/fallback-job';
import { QUEUES } from '../queue/queue-names';

export const CHUNK_JOB = {
  name: 'campaign-chunk',
  /** Chunks of fallback checks wait on the timers queue, like the checks themselves. */
  fallbackQueue: QUEUES.timers.name,
  maxAttempts: 10,
} as const;

export type ChunkKind = 'send' | 'fallback-check';

export interface ChunkPayload {
  kind: ChunkKind;
  messageIds: string[];
}

/** The per-message job a chunk stands for. */
export interface MessageJob {
  queue: string;
  name: string;
  payload: Record<string, unknown>;
  dedupeKey: string;
  maxAttempts: number;
}

export function parseChunk(payload: Record<string, unknown>): ChunkPayload {
  const kind = payload.kind;
  const ids = payload.messageIds;
  if ((kind !== 'send' && kind !== 'fallback-check') || !Array.isArray(ids))
    throw new Error(`not a campaign chunk: ${JSON.stringify(payload).slice(0, 200)}`);
  return { kind, messageIds: ids.map(String) };
}

/** The job of one message of a chunk that waits on `queue`. */
export function messageJob(kind: ChunkKind, queue: string, messageId: string): MessageJob {
  if (kind === 'send')
    return {
      queue,
      name: 'send',
      payload: { messageId },
      dedupeKey: `send:${messageId}`,
      maxAttempts: SEND_MAX_ATTEMPTS,
    };
  return {
    queue: FALLBACK_JOB.queue,
    name: FALLBACK_JOB.name,
    payload: { messageId, step: 0 },
    dedupeKey: fallbackDedupeKey(messageId, 0),
    maxAttempts: FALLBACK_JOB.maxAttempts,
  };
}
