import type { NormalizedInbound } from '../channels/channel-port';

const PREVIEW_CHARS = 140;
const MAX_TEXT = 100_000;

/** What an inbound message's columns hold, derived from the normalized message; pure. */
export const textOf = (input: NormalizedInbound): string => (input.text ?? '').slice(0, MAX_TEXT);

/** A new customer's name: the sender's own, else their address. */
export const displayNameOf = (input: NormalizedInbound, address: string): string =>
  (input.senderName?.trim() || address).slice(0, 200);

export function metadataOf(input: NormalizedInbound): Record<string, unknown> {
  return {
    ...(input.metadata ?? {}),
    ...(input.threadRefs?.length ? { threadRefs: input.threadRefs } : {}),
    ...(input.senderName ? { senderName: input.senderName } : {}),
  };
}

/** The line the inbox shows for the conversation. */
export function previewOf(input: NormalizedInbound): string {
  const t = (
    input.text ||
    input.subject ||
    (input.attachments?.length ? `[${input.attachments.length} attachment(s)]` : '')
  )
    .replace(/\s+/g, ' ')
    .trim();
  return t.length > PREVIEW_CHARS ? `${t.slice(0, PREVIEW_CHARS - 1)}…` : t;
}
