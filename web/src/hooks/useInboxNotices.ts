// The inbox's passing notices (the toasts): a mention of this agent, a follow-up that fell due.
import { useState } from 'preact/hooks';
import { addNotice, type Notice } from '../components/Notifications';
import { t } from '../i18n';
import type { AgentSocket } from '../live';
import { useSocketEvents } from './useLiveSocket';

export function useInboxNotices(socket: AgentSocket | null) {
  const [notices, setNotices] = useState<Notice[]>([]);

  useSocketEvents(socket, {
    mention: ({ conversationId, messageId, by, text }) => {
      const notice: Notice = {
        id: `mention:${messageId}`,
        kind: 'mention',
        title: t('notify.kind.mention', { by: by?.name ?? t('notify.someone') }),
        body: text ?? '',
        conversationId,
        at: new Date().toISOString(),
      };
      setNotices((l) => addNotice(l, notice));
    },
    'follow_up.due': ({ followUpId, conversationId, note }) => {
      const notice: Notice = {
        id: `follow_up:${followUpId}`,
        kind: 'follow_up',
        title: t('notify.kind.follow_up'),
        body: note,
        conversationId,
        at: new Date().toISOString(),
      };
      setNotices((l) => addNotice(l, notice));
    },
  });

  const dismiss = (id: string) => setNotices((l) => l.filter((n) => n.id !== id));
  return { notices, dismiss };
}
