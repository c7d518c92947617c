/**
 * WhatsApp's 24-hour customer service window: a free-form message may be sent only within
 * `windowHours` of the customer's last inbound WhatsApp message; outside it only a template
 * WhatsApp approved (WHATSAPP_APPROVED_TEMPLATES) may be. Pure.
 */
import type { WhatsappWindowPolicy } from './routing-types';

export const WHATSAPP_WINDOW_HOURS = 24;

export const DEFAULT_WHATSAPP_POLICY: WhatsappWindowPolicy = {
  windowHours: WHATSAPP_WINDOW_HOURS,
  approvedTemplates: [],
};

/** When the window closes (epoch ms); -1 when the customer never wrote on WhatsApp. */
export function whatsappWindowEnd(
  lastInboundAt: Date | null | undefined,
  windowHours = WHATSAPP_WINDOW_HOURS,
): number {
  if (lastInboundAt === null || lastInboundAt === undefined) return -1;
  return lastInboundAt.getTime() + windowHours * 3_600_000;
}

/** Whether a WhatsApp message sent at `atMs` is inside the window. */
export function insideWhatsappWindow(
  lastInboundAt: Date | null | undefined,
  atMs: number,
  windowHours = WHATSAPP_WINDOW_HOURS,
): boolean {
  return atMs < whatsappWindowEnd(lastInboundAt, windowHours);
}

/** Whether `template` (undefined: a free-form message, e.g. an agent's reply) is approved. */
export function approvedWhatsappTemplate(
  template: string | undefined,
  policy: WhatsappWindowPolicy = DEFAULT_WHATSAPP_POLICY,
): boolean {
  return template !== undefined && policy.approvedTemplates.includes(template);
}

/**
 * Why a WhatsApp message of `template` may not be sent at `atMs`; null when it may (inside the
 * window, or an approved template).
 */
export function whatsappWindowProblem(
  lastInboundAt: Date | null | undefined,
  template: string | undefined,
  atMs: number,
  policy: WhatsappWindowPolicy = DEFAULT_WHATSAPP_POLICY,
): string | null {
  if (approvedWhatsappTemplate(template, policy)) return null;
  if (insideWhatsappWindow(lastInboundAt, atMs, policy.windowHours)) return null;
  const last =
    lastInboundAt === null || lastInboundAt === undefined
      ? 'no inbound WhatsApp message'
      : `last inbound WhatsApp message ${lastInboundAt.toISOString()}`;
  const what =
    template === undefined
      ? 'a free-form message'
      : `template ${template} is not an approved WhatsApp template`;
  return `outside the ${policy.windowHours}-hour WhatsApp customer service window (${last}); ${what}`;
}
