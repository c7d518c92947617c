// Sending from the reply box: an internal note or a reply, shown in the thread at once (a reply
// as pending until its status arrives).
import type { Dispatch, StateUpdater } from 'preact/hooks';
import { client, unwrap } from '../api/client';
import { mergeMessages } from '../messages';
import type { Channel, ConversationDetail, Message, User } from '../types';

export type SendReply = (
  text: string,
  channel: Channel | null,
  note: boolean,
  attachmentIds?: string[],
) => Promise<void>;

export function useSendReply(
  detail: ConversationDetail | null,
  me: User | null,
  setDetail: Dispatch<StateUpdater<ConversationDetail | null>>,
): SendReply {
  return async (text, channel, note, attachmentIds = []) => {
    const conv = detail;
    if (!conv) return;
    const params = { path: { id: conv.id } };
    if (note) {
      const m = await unwrap(
        client.POST('/api/v1/conversations/{id}/notes', { params, body: { text } }),
      );
      setDetail((d) =>
        d && d.id === conv.id ? { ...d, messages: mergeMessages(d.messages, [m]) } : d,
      );
      return;
    }
    const res = await unwrap(
      client.POST('/api/v1/conversations/{id}/replies', {
        params,
        body: {
          text,
          ...(channel ? { channel } : {}),
          ...(attachmentIds.length ? { attachmentIds } : {}),
        },
      }),
    );
    const author = me ? { id: me.id, name: me.name } : null;
    const m: Message = {
      id: res.messageId,
      customerId: conv.customerId,
      conversationId: conv.id,
      direction: 'outbound',
      kind: 'message',
      channel: res.route.channel,
      text,
      attachments: [],
      status: res.status,
      createdAt: new Date().toISOString(),
      author,
      pending: true,
    };
    setDetail((d) =>
      d && d.id === conv.id && !d.messages.some((x) => x.id === m.id)
        ? { ...d, messages: mergeMessages(d.messages, [m]) }
        : d,
    );
  };
}
