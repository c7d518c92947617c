// The inbox: conversation list, open conversation and customer panel, kept live by the `/agents` socket.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, query } from '../api';
import { matchesFilters } from '../format';
import { connectAgents, type AgentSocket } from '../live';
import { mergeMessages, patchInPlace, upsertTop } from '../messages';
import { navigate } from '../router';
import type {
  AgentRef,
  CannedResponse,
  Channel,
  Consent,
  Conversation,
  ConversationDetail,
  ConversationStatus,
  Customer,
  Filters,
  Message,
  Page,
  Presence,
  ReplyAccepted,
  User,
} from '../types';
import { ConversationList } from './ConversationList';
import { ConversationView } from './ConversationView';
import { CustomerPanel } from './CustomerPanel';
import { addNotice, Notifications, type Notice } from './Notifications';
import { applyPresence, PresenceList } from './PresenceList';

const TYPING_EXPIRY_MS = 8000;

interface Props {
  token: string;
  me: User | null;
  conversationId: string | null;
}

export function Inbox({ token, me, conversationId }: Props) {
  const [filters, setFilters] = useState<Filters>({
    status: 'open',
    assignee: 'all',
    channel: '',
    q: '',
  });
  const [list, setList] = useState<Conversation[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [listLoading, setListLoading] = useState(false);
  const [listError, setListError] = useState<string | null>(null);

  const [detail, setDetail] = useState<ConversationDetail | null>(null);
  const [detailError, setDetailError] = useState<string | null>(null);
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [consents, setConsents] = useState<Consent[]>([]);
  const [customerError, setCustomerError] = useState<string | null>(null);

  const [typing, setTyping] = useState<Record<string, string>>({}); // agentId -> name, for the open conversation
  const [viewers, setViewers] = useState<AgentRef[]>([]);
  const [breaches, setBreaches] = useState<Record<string, string>>({});
  const [connected, setConnected] = useState(false);
  const [reloadTick, setReloadTick] = useState(0);
  const [canned, setCanned] = useState<CannedResponse[]>([]);
  const [actionError, setActionError] = useState<string | null>(null);
  const [notices, setNotices] = useState<Notice[]>([]);
  const [presence, setPresence] = useState<Presence[]>([]);

  const socketRef = useRef<AgentSocket | null>(null);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const meRef = useRef(me);
  meRef.current = me;
  const openIdRef = useRef(conversationId);
  openIdRef.current = conversationId;
  const typingTimers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  /** Live messages for the open conversation that arrived while its detail was loading. */
  const liveBuffer = useRef<Message[]>([]);

  const clearTyping = () => {
    for (const t of typingTimers.current.values()) clearTimeout(t);
    typingTimers.current.clear();
    setTyping({});
  };

  // ---- the socket -------------------------------------------------------------------------
  useEffect(() => {
    const socket = connectAgents(token);
    socketRef.current = socket;
    let everConnected = false;

    socket.on('connect', () => {
      setConnected(true);
      socket.emit('presence', {
        status: document.visibilityState === 'hidden' ? 'away' : 'online',
      });
      if (openIdRef.current) socket.emit('view', { conversationId: openIdRef.current });
      api<{ items: Presence[] }>('GET', '/api/v1/agents/presence')
        .then((r) => setPresence((live) => (r.items ?? []).reduce(applyPresence, live)))
        .catch(() => undefined);
      // After a reconnect, reload what may have been missed while offline.
      if (everConnected) setReloadTick((n) => n + 1);
      everConnected = true;
    });
    socket.on('disconnect', () => setConnected(false));
    socket.on('connect_error', () => setConnected(false));

    const onConversation = ({ conversation }: { conversation: Conversation }, moveUp: boolean) => {
      if (!conversation?.id) return;
      const keep = matchesFilters(conversation, filtersRef.current, meRef.current);
      setList((l) =>
        moveUp ? upsertTop(l, conversation, keep) : patchInPlace(l, conversation, keep),
      );
      if (conversation.id === openIdRef.current) {
        setDetail((d) =>
          d && d.id === conversation.id ? { ...d, ...conversation, messages: d.messages } : d,
        );
      }
    };
    socket.on('conversation.created', (e) => onConversation(e, true));
    socket.on('conversation.updated', (e) => onConversation(e, true));

    socket.on('message.created', ({ message, conversation }) => {
      if (conversation) onConversation({ conversation }, true);
      if (!message) return;
      const convId = message.conversationId ?? conversation?.id;
      if (convId && convId === openIdRef.current) {
        liveBuffer.current.push(message);
        setDetail((d) =>
          d && d.id === convId ? { ...d, messages: mergeMessages(d.messages, [message]) } : d,
        );
      }
    });

    socket.on('message.status', ({ messageId, status }) => {
      setDetail((d) =>
        d && d.messages.some((m) => m.id === messageId)
          ? { ...d, messages: d.messages.map((m) => (m.id === messageId ? { ...m, status } : m)) }
          : d,
      );
    });

    socket.on('sla.breached', ({ conversationId: id, policy, kind }) => {
      const label = ['SLA', kind?.replace(/_/g, ' '), policy ? `(${policy})` : '']
        .filter(Boolean)
        .join(' ');
      setBreaches((b) => ({ ...b, [id]: label }));
    });

    socket.on('agent.typing', ({ conversationId: id, agent, typing: isTyping }) => {
      if (!agent || id !== openIdRef.current || agent.id === meRef.current?.id) return;
      const timers = typingTimers.current;
      const old = timers.get(agent.id);
      if (old) clearTimeout(old);
      timers.delete(agent.id);
      if (isTyping) {
        timers.set(
          agent.id,
          setTimeout(() => {
            timers.delete(agent.id);
            setTyping(({ [agent.id]: _gone, ...rest }) => rest);
          }, TYPING_EXPIRY_MS),
        );
        setTyping((t) => ({ ...t, [agent.id]: agent.name }));
      } else {
        setTyping(({ [agent.id]: _gone, ...rest }) => rest);
      }
    });

    socket.on('mention', ({ conversationId: id, messageId, by, text }) => {
      const notice: Notice = {
        id: `mention:${messageId}`,
        kind: 'mention',
        title: `${by?.name ?? 'Someone'} mentioned you`,
        body: text ?? '',
        conversationId: id,
        at: new Date().toISOString(),
      };
      setNotices((l) => addNotice(l, notice));
    });

    socket.on('follow_up.due', ({ followUpId, conversationId: id, note }) => {
      const notice: Notice = {
        id: `follow_up:${followUpId}`,
        kind: 'follow_up',
        title: 'Follow-up due',
        body: note,
        conversationId: id,
        at: new Date().toISOString(),
      };
      setNotices((l) => addNotice(l, notice));
    });

    socket.on('presence', (e) => setPresence((l) => applyPresence(l, e)));

    socket.on('agent.viewing', ({ conversationId: id, agents }) => {
      if (id !== openIdRef.current) return;
      setViewers((agents ?? []).filter((a) => a.id !== meRef.current?.id));
    });

    const onVisibility = () => {
      if (socket.connected)
        socket.emit('presence', {
          status: document.visibilityState === 'hidden' ? 'away' : 'online',
        });
    };
    document.addEventListener('visibilitychange', onVisibility);

    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      socket.removeAllListeners();
      socket.disconnect();
      socketRef.current = null;
    };
  }, [token]);

  // ---- the list ---------------------------------------------------------------------------
  const listRequest = useRef(0);
  const loadList = useCallback(async (cursor: string | null) => {
    const req = ++listRequest.current;
    setListLoading(true);
    setListError(null);
    try {
      const f = filtersRef.current;
      const page = await api<Page<Conversation>>(
        'GET',
        `/api/v1/conversations${query({
          status: f.status === 'all' ? null : f.status,
          assignee: f.assignee === 'all' ? null : f.assignee,
          channel: f.channel || null,
          q: f.q.trim() || null,
          cursor,
        })}`,
      );
      if (req !== listRequest.current) return;
      setList((l) => {
        if (!cursor) return page.items;
        const seen = new Set(l.map((c) => c.id));
        return [...l, ...page.items.filter((c) => !seen.has(c.id))];
      });
      setNextCursor(page.nextCursor ?? null);
    } catch (err) {
      if (req === listRequest.current)
        setListError(err instanceof ApiError ? err.message : String(err));
    } finally {
      if (req === listRequest.current) setListLoading(false);
    }
  }, []);

  useEffect(() => {
    // Typing in the search box waits for a pause; other filter changes load at once.
    const t = setTimeout(() => void loadList(null), filters.q ? 300 : 0);
    return () => clearTimeout(t);
  }, [filters.status, filters.assignee, filters.channel, filters.q, reloadTick, loadList]);

  // ---- the open conversation --------------------------------------------------------------
  useEffect(() => {
    clearTyping();
    setViewers([]);
    setActionError(null);
    setDetailError(null);
    liveBuffer.current = [];
    if (!conversationId) {
      setDetail(null);
      return;
    }
    setDetail((d) => (d && d.id === conversationId ? d : null));
    let live = true;
    api<ConversationDetail>('GET', `/api/v1/conversations/${encodeURIComponent(conversationId)}`)
      .then((d) => {
        if (!live) return;
        const messages = mergeMessages(d.messages ?? [], liveBuffer.current);
        liveBuffer.current = [];
        setDetail({ ...d, messages });
      })
      .catch((err: unknown) => {
        if (live) setDetailError(err instanceof ApiError ? err.message : String(err));
      });
    const socket = socketRef.current;
    if (socket?.connected) socket.emit('view', { conversationId });
    return () => {
      live = false;
      const s = socketRef.current;
      if (s?.connected) {
        s.emit('typing', { conversationId, typing: false });
        s.emit('view', { conversationId: null });
      }
    };
  }, [conversationId, reloadTick]);

  const customerId = detail?.customerId ?? null;
  useEffect(() => {
    setCustomerError(null);
    if (!customerId) {
      setCustomer(null);
      setConsents([]);
      return;
    }
    let live = true;
    const id = encodeURIComponent(customerId);
    api<Customer>('GET', `/api/v1/customers/${id}`)
      .then((c) => live && setCustomer(c))
      .catch(
        (err: unknown) =>
          live && setCustomerError(err instanceof ApiError ? err.message : String(err)),
      );
    api<Page<Consent> | Consent[]>('GET', `/api/v1/customers/${id}/consents`)
      .then((r) => live && setConsents(Array.isArray(r) ? r : (r.items ?? [])))
      .catch(() => live && setConsents([]));
    return () => {
      live = false;
    };
  }, [customerId, reloadTick]);

  useEffect(() => {
    api<Page<CannedResponse>>('GET', '/api/v1/canned-responses')
      .then((r) => setCanned(r.items ?? []))
      .catch(() => setCanned([]));
  }, [token]);

  // ---- actions ----------------------------------------------------------------------------
  const applyConversation = (c: unknown) => {
    if (!c || typeof c !== 'object' || !('id' in c) || !('status' in c)) return;
    const { messages: _messages, ...conv } = c as ConversationDetail;
    setDetail((d) => (d && d.id === conv.id ? { ...d, ...conv, messages: d.messages } : d));
    setList((l) => patchInPlace(l, conv, matchesFilters(conv, filtersRef.current, meRef.current)));
  };

  const sendReply = async (text: string, channel: Channel | null, note: boolean): Promise<void> => {
    const conv = detail;
    if (!conv) return;
    const base = `/api/v1/conversations/${encodeURIComponent(conv.id)}`;
    const author = me ? { id: me.id, name: me.name } : null;
    if (note) {
      const res = await api<Partial<Message> & { messageId?: string }>('POST', `${base}/notes`, {
        text,
      });
      const id = res?.id ?? res?.messageId;
      if (id) {
        const m: Message = {
          customerId: conv.customerId,
          conversationId: conv.id,
          direction: 'outbound',
          channel: conv.lastChannel,
          attachments: [],
          status: 'sent',
          createdAt: new Date().toISOString(),
          author,
          ...res,
          id,
          kind: 'note',
          text: res.text ?? text,
        };
        setDetail((d) =>
          d && d.id === conv.id ? { ...d, messages: mergeMessages(d.messages, [m]) } : d,
        );
      }
      return;
    }
    const res = await api<ReplyAccepted>(
      'POST',
      `${base}/replies`,
      channel ? { text, channel } : { text },
    );
    if (res?.messageId) {
      const m: Message = {
        id: res.messageId,
        customerId: conv.customerId,
        conversationId: conv.id,
        direction: 'outbound',
        kind: 'message',
        channel: res.route?.channel ?? channel ?? conv.lastChannel,
        text,
        attachments: [],
        status: res.status ?? 'queued',
        createdAt: new Date().toISOString(),
        author,
        pending: true,
      };
      setDetail((d) =>
        d && d.id === conv.id && !d.messages.some((x) => x.id === m.id)
          ? { ...d, messages: mergeMessages(d.messages, [m]) }
          : d,
      );
    }
  };

  const setStatus = async (status: ConversationStatus) => {
    if (!detail) return;
    setActionError(null);
    try {
      const res = await api<unknown>(
        'POST',
        `/api/v1/conversations/${encodeURIComponent(detail.id)}/status`,
        { status },
      );
      applyConversation(
        res && typeof res === 'object' && 'id' in res ? res : { ...detail, status },
      );
    } catch (err) {
      setActionError(err instanceof ApiError ? err.message : String(err));
    }
  };

  const assignToMe = async () => {
    if (!detail || !me) return;
    setActionError(null);
    try {
      const res = await api<unknown>(
        'POST',
        `/api/v1/conversations/${encodeURIComponent(detail.id)}/assign`,
        {
          agentId: me.id,
        },
      );
      applyConversation(
        res && typeof res === 'object' && 'id' in res ? res : { ...detail, assigneeId: me.id },
      );
    } catch (err) {
      setActionError(err instanceof ApiError ? err.message : String(err));
    }
  };

  const emitTyping = (isTyping: boolean) => {
    const s = socketRef.current;
    if (s?.connected && conversationId) s.emit('typing', { conversationId, typing: isTyping });
  };

  return (
    <div class="inbox">
      <ConversationList
        filters={filters}
        onFilters={setFilters}
        items={list}
        loading={listLoading}
        error={listError}
        hasMore={!!nextCursor}
        onLoadMore={() => void loadList(nextCursor)}
        selectedId={conversationId}
        onSelect={(id) => navigate(`#/c/${encodeURIComponent(id)}`)}
        breaches={breaches}
        connected={connected}
      >
        <PresenceList agents={presence} meId={me?.id ?? null} />
      </ConversationList>
      <ConversationView
        conversationId={conversationId}
        detail={detail && detail.id === conversationId ? detail : null}
        error={detailError}
        actionError={actionError}
        customer={customer}
        me={me}
        typingNames={Object.values(typing)}
        viewers={viewers}
        breach={conversationId ? (breaches[conversationId] ?? null) : null}
        canned={canned}
        onSend={sendReply}
        onTyping={emitTyping}
        onStatus={(s) => void setStatus(s)}
        onAssignMe={() => void assignToMe()}
      />
      <CustomerPanel
        visible={!!conversationId}
        customer={customer && customer.id === customerId ? customer : null}
        consents={consents}
        error={customerError}
      />
      <Notifications
        items={notices}
        onDismiss={(id) => setNotices((l) => l.filter((n) => n.id !== id))}
      />
    </div>
  );
}
