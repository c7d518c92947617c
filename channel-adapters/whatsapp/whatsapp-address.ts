/** Twilio writes WhatsApp addresses as `whatsapp:+14155238886`; the hub keeps the E.164 number. */
export const WHATSAPP_PREFIX = 'whatsapp:';

/** True when a Twilio From/To field is a WhatsApp address. */
export function isWhatsappAddress(value: string | undefined): boolean {
  return value !== undefined && value.trim().toLowerCase().startsWith(WHATSAPP_PREFIX);
}

/** `whatsapp:+8613800138000` -> `+8613800138000`; anything else as given (trimmed). */
export function stripWhatsappPrefix(value: string): string {
  const trimmed = value.trim();
  return isWhatsappAddress(trimmed) ? trimmed.slice(WHATSAPP_PREFIX.length).trim() : trimmed;
}

/** `+8613800138000` -> `whatsapp:+8613800138000` (an already prefixed address is kept). */
export function toWhatsappAddress(value: string): string {
  return `${WHATSAPP_PREFIX}${stripWhatsappPrefix(value)}`;
}
