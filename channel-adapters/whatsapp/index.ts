export { TwilioWhatsappAdapter } from './twilio-whatsapp.adapter';
export type { TwilioWhatsappAdapterOptions } from './twilio-whatsapp.adapter';
export { normalizeWhatsappInbound } from './whatsapp-inbound';
export {
  isWhatsappAddress,
  stripWhatsappPrefix,
  toWhatsappAddress,
  WHATSAPP_PREFIX,
} from './whatsapp-address';
