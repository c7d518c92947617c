import type { enWhatsapp } from './en-whatsapp';

/** WhatsApp 渠道的中文文案（并入 zh-CN.ts）。 */
export const zhCNWhatsapp: Record<keyof typeof enWhatsapp, string> = {
  'channel.whatsapp': 'WhatsApp',
  'reply.channel.whatsapp': 'WhatsApp',
  'reports.channel.whatsapp': 'WhatsApp',
  'whatsapp.windowHint': 'WhatsApp：仅可在客户最后一条 WhatsApp 消息后的 24 小时内自由回复。',
} as const;
