import type { Attachment, NormalizedInbound } from '../channels/channel-port';
import type { KnownMessage } from './inbound-messages.repository';

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

/** The message's columns, as both the known-sender and the first-contact statements take them. */
export function inboundRecord(
  input: NormalizedInbound,
  kind: string,
  address: string,
  listedAttachments: Attachment[],
): KnownMessage {
  return {
    channel: input.channel,
    provider_message_id: input.providerMessageId,
    kind,
    address,
    mkind: input.kind ?? 'message',
    text: textOf(input),
    html: input.html ?? null,
    subject: input.subject ?? null,
    attachments: JSON.stringify(listedAttachments),
    auto_reply: Boolean(input.autoReply),
    metadata: JSON.stringify(metadataOf(input)),
    received_at: input.receivedAt ?? null,
    preview: previewOf(input),
  };
}
