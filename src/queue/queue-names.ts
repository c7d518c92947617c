/** One queue per concern. Adding a queue here is all it takes for both drivers to serve it. */
export interface QueueSpec {
  name: string;
  concurrency: number;
  /** BullMQ limiter: at most `max` jobs per `duration` ms (a provider's send rate). */
  limiter?: { max: number; duration: number };
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
  status: { name: 'status', concurrency: 8 },
  timers: { name: 'timers', concurrency: 8 },
  campaigns: { name: 'campaigns', concurrency: 2 },
  maintenance: { name: 'maintenance', concurrency: 1 },
} as const satisfies Record<string, QueueSpec>;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES]['name'];
export const ALL_QUEUES: QueueSpec[] = Object.values(QUEUES);
