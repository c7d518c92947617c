import { types, type Message } from 'wechaty';
import type { Attachment, NormalizedInbound } from '../../src/channels/channel-port';

const FILE_TYPES = new Set<types.Message>([
  types.Message.Image,
  types.Message.Attachment,
  types.Message.Video,
  types.Message.Audio,
]);

const FALLBACK_TYPES: Partial<Record<types.Message, string>> = {
  [types.Message.Image]: 'image/jpeg',
  [types.Message.Video]: 'video/mp4',
  [types.Message.Audio]: 'audio/silk',
};

/** The content of an image/file message, read into memory for the core's attachment store. */
async function fileAttachment(message: Message): Promise<Attachment> {
  const fileBox = await message.toFileBox();
  const content = await fileBox.toBuffer();
  const mediaType =
    fileBox.mediaType && fileBox.mediaType !== 'application/octet-stream'
      ? fileBox.mediaType
      : undefined;
  return {
    filename: fileBox.name || `${message.id}`,
    contentType: mediaType ?? FALLBACK_TYPES[message.type()] ?? 'application/octet-stream',
    size: content.length,
    content,
  };
}

export interface WechatNormalizeOptions {
  /** Room (group) messages are ignored unless this is set; then they carry roomId/roomTopic. */
  includeRooms?: boolean;
}

/**
 * A wechaty message -> NormalizedInbound; null for our own messages, room messages (unless
 * included) and types other than text, image and file (audio/video count as files).
 */
export async function normalizeWechatMessage(
  message: Message,
  options: WechatNormalizeOptions = {},
): Promise<NormalizedInbound | null> {
  if (message.self()) return null;
  const room = message.room();
  if (room && !options.includeRooms) return null;
  const type = message.type();
  if (type !== types.Message.Text && !FILE_TYPES.has(type)) return null;

  const talker = message.talker();
  const attachments = FILE_TYPES.has(type) ? [await fileAttachment(message)] : [];
  const roomMetadata = room ? { roomId: room.id, roomTopic: await room.topic() } : {};
  return {
    channel: 'wechat',
    kind: 'message',
    from: talker.id,
    to: message.listener()?.id ?? message.wechaty.currentUser.id,
    senderName: talker.name(),
    providerMessageId: message.id,
    text: type === types.Message.Text ? message.text() : '',
    ...(attachments.length ? { attachments } : {}),
    receivedAt: message.date(),
    metadata: { wechatType: types.Message[type], ...roomMetadata },
  };
}
