/**
 * Per-provider send rates: SEND_RATE_<CHANNEL> ("10/s", "600/m", "5/2s") becomes the BullMQ
 * limiter of that channel's delivery queue, so a campaign cannot trip a provider's throttling.
 * BullMQ's limiter is global per queue (all worker processes together). The in-process driver
 * ignores limiters: it serves the embedded single-process default, where no provider is live.
 */
import type { Channel } from '../common/names';
import type { AppConfig } from '../config/app-config';
import { QUEUES, type QueueName, type QueueSpec } from './queue-names';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "10/s" -> {max: 10, duration: 1000}; "5/2s" -> {max: 5, duration: 2000}. */
export function parseSendRate(value: string): { max: number; duration: number } {
  const match = /^\s*(\d+)\s*\/\s*(\d*)\s*(ms|s|m|h)\s*$/.exec(value);
  if (match === null)
    throw new Error(`send rate "${value}" must look like "10/s", "600/m" or "5/2s"`);
  const max = Number(match[1]);
  const duration = Number(match[2] === '' ? 1 : match[2]) * UNIT_MS[match[3]];
  if (max < 1 || duration < 1)
    throw new Error(`send rate "${value}" must allow at least one send per period`);
  return { max, duration };
}

const DELIVERY_QUEUES = {
  email: QUEUES.deliveryEmail.name,
  sms: QUEUES.deliverySms.name,
  voice: QUEUES.deliveryVoice.name,
  wechat: QUEUES.deliveryWechat.name,
  livechat: QUEUES.deliveryLivechat.name,
  whatsapp: QUEUES.deliveryWhatsapp.name,
} as const satisfies Record<Channel, QueueName>;

/** The delivery queue of a channel. */
export function deliveryQueueOf(channel: Channel): QueueName {
  return DELIVERY_QUEUES[channel];
}

function rateOf(config: AppConfig, channel: Channel): string | undefined {
  switch (channel) {
    case 'email':
      return config.env.SEND_RATE_EMAIL;
    case 'sms':
      return config.env.SEND_RATE_SMS;
    case 'voice':
      return config.env.SEND_RATE_VOICE;
    case 'wechat':
      return config.env.SEND_RATE_WECHAT;
    case 'livechat':
      return config.env.SEND_RATE_LIVECHAT;
    case 'whatsapp':
      return config.env.SEND_RATE_WHATSAPP;
  }
}

/** The queue specs with each channel's configured limiter applied. */
export function withSendRates(specs: QueueSpec[], config: AppConfig): QueueSpec[] {
  const byQueue = new Map<string, { max: number; duration: number }>();
  for (const channel of Object.keys(DELIVERY_QUEUES) as Channel[]) {
    const rate = rateOf(config, channel);
    if (rate !== undefined) byQueue.set(DELIVERY_QUEUES[channel], parseSendRate(rate));
  }
  return specs.map((spec) => {
    const limiter = byQueue.get(spec.name);
    return limiter === undefined ? spec : { ...spec, limiter };
  });
}
