/** One queue per concern. Adding a queue here is all it takes for both drivers to serve it. */
export interface QueueSpec {
  name: string;
  concurrency: number;
  /** BullMQ limiter: at most `max` jobs per `duration` ms (a provider's send rate). */
  limiter?: { max: number; duration: number };
  /** BullMQ's lock on an active job and how often lapsed ones are looked for (ms). */
  lock?: { lockDuration: number; stalledInterval: number };
}

export const QUEUES = {
  inbound: { name: 'inbound', concurrency: 8 },
  delivery: { name: 'delivery', concurrency: 16 },
  /**
   * One delivery queue per channel, each with its provider's send rate (SEND_RATE_<CHANNEL>).
   * A send mostly waits (on the provider, on statements it shares with concurrent sends), so
   * many run at once: more in flight makes those shared statements bigger, not more numerous.
   */
  deliveryEmail: { name: 'delivery-email', concurrency: 64 },
  deliverySms: { name: 'delivery-sms', concurrency: 64 },
  deliveryVoice: { name: 'delivery-voice', concurrency: 64 },
  deliveryWechat: { name: 'delivery-wechat', concurrency: 64 },
  deliveryLivechat: { name: 'delivery-livechat', concurrency: 64 },
  deliveryWhatsapp: { name: 'delivery-whatsapp', concurrency: 64 },
  status: { name: 'status', concurrency: 8 },
  timers: { name: 'timers', concurrency: 8 },
  campaigns: { name: 'campaigns', concurrency: 2 },
  maintenance: { name: 'maintenance', concurrency: 1 },
  /** Outbound webhooks: each delivery mostly waits on its receiver. */
  webhooks: { name: 'webhooks', concurrency: 16 },
} as const satisfies Record<string, QueueSpec>;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES]['name'];
export const ALL_QUEUES: QueueSpec[] = Object.values(QUEUES);

/**
 * BullMQ's lock on an active job (renewed by the worker every half of it, so a long job keeps
 * it) lasts half a lease, and lapsed locks are looked for every quarter: a dead worker's job is
 * back in the wait list within about one lease (JOB_LEASE_SECONDS). Its runner then claims the
 * outbox row if that row's own lease has lapsed too; if not, the outbox sweeper dispatches the
 * row again once it has.
 */
export function withLease(queues: QueueSpec[], leaseSeconds: number): QueueSpec[] {
  const lock = {
    lockDuration: Math.max(1000, Math.floor((leaseSeconds * 1000) / 2)),
    stalledInterval: Math.max(1000, Math.floor((leaseSeconds * 1000) / 4)),
  };
  return queues.map((q) => ({ ...q, lock }));
}
