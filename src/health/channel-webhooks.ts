import type { Channel } from '../common/names';

export interface WebhookUrl {
  /** What the provider calls it: where in its console the URL goes. */
  purpose: 'incoming' | 'status' | 'call-status';
  url: string;
}

/** The URLs to give the provider of each channel, built from the hub's public URL. */
export function webhookUrls(channel: Channel, publicUrl: string): WebhookUrl[] {
  const at = (path: string) => `${publicUrl}${path}`;
  switch (channel) {
    case 'sms':
      return [
        { purpose: 'incoming', url: at('/webhooks/twilio/sms') },
        { purpose: 'status', url: at('/webhooks/twilio/status') },
      ];
    case 'voice':
      return [
        { purpose: 'incoming', url: at('/webhooks/twilio/voice') },
        { purpose: 'call-status', url: at('/webhooks/twilio/voice/status') },
      ];
    case 'email':
      return [{ purpose: 'incoming', url: at('/webhooks/email/inbound') }];
    default:
      return [];
  }
}
