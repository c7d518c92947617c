/** English strings of the WhatsApp channel (spread into en.ts). */
export const enWhatsapp = {
  'channel.whatsapp': 'WhatsApp',
  'reply.channel.whatsapp': 'WhatsApp',
  'reports.channel.whatsapp': 'WhatsApp',
  'whatsapp.windowHint':
    'WhatsApp: free-form replies only within 24 hours of the customer’s last WhatsApp message.',
} as const;
