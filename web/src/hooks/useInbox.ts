// Everything the inbox shows and does, put together from one-job hooks: the list, the open
// conversation, its customer, live updates from the app's shared socket, replies and actions.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { matchesFilters } from '../format';
import { patchInPlace } from '../messages';
import type { ConversationDetail, User } from '../types';
import { useRowSelection } from '../use-selection';
import { useCannedResponses } from './useCannedResponses';
import { useConversationActivity } from './useConversationActivity';
import { useConversationCustomer } from './useConversationCustomer';
import { useConversationList } from './useConversationList';
import { useInboxNotices } from './useInboxNotices';
import { useLiveConversations } from './useLiveConversations';
import { useLiveSocket } from './useLiveSocket';
import { useOpenConversation } from './useOpenConversation';
import { usePresence } from './usePresence';
import { useSendReply } from './useSendReply';

export function useInbox(token: string, me: User | null, conversationId: string | null) {
  const { socket, connected } = useLiveSocket();
  const [reloadTick, setReloadTick] = useState(0);
  const [actionError, setActionError] = useState<string | null>(null);
  const [customerOpen, setCustomerOpen] = useState(false);
  const meRef = useRef(me);
  meRef.current = me;
  const openIdRef = useRef(conversationId);
  openIdRef.current = conversationId;

  const list = useConversationList(reloadTick);
  const { filtersRef, setList } = list;
  const open = useOpenConversation(conversationId, reloadTick, socket);
  const { detail, setDetail } = open;
  const activity = useConversationActivity(socket, conversationId, reloadTick, meRef);
  const customerId = detail?.customerId ?? null;
  const customer = useConversationCustomer(customerId, reloadTick);
  const canned = useCannedResponses(token);
  const presence = usePresence(socket);
  const notices = useInboxNotices(socket);
  const breaches = useLiveConversations({
    socket,
    openIdRef,
    filtersRef,
    meRef,
    setList,
    setDetail,
    liveBuffer: open.liveBuffer,
    onReconnect: () => setReloadTick((n) => n + 1),
  });

  useEffect(() => setCustomerOpen(false), [conversationId]);
  useEffect(() => setActionError(null), [conversationId, reloadTick]);

  // Stable (reads filters and me through refs), so the actions built on it are made once per conversation.
  const applyConversation = useCallback(
    (c: unknown) => {
      if (!c || typeof c !== 'object' || !('id' in c) || !('status' in c)) return;
      const { messages: _messages, ...conv } = c as ConversationDetail;
      setDetail((d) => (d && d.id === conv.id ? { ...d, ...conv, messages: d.messages } : d));
      setList((l) =>
        patchInPlace(l, conv, matchesFilters(conv, filtersRef.current, meRef.current)),
      );
    },
    [setDetail, setList, filtersRef],
  );
  const sendReply = useSendReply(detail, me, setDetail);
  const selection = useRowSelection(list.list.map((c) => c.id));

  return {
    connected,
    reloadTick,
    actionError,
    setActionError,
    customerOpen,
    setCustomerOpen,
    list,
    open,
    activity,
    customer,
    canned,
    presence,
    notices,
    breaches,
    applyConversation,
    sendReply,
    selection,
  };
}

export type InboxModel = ReturnType<typeof useInbox>;
