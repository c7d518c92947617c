import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { CHANNEL_LABEL, fillCanned } from '../format';
import { lastInbound } from '../messages';
import type { CannedResponse, Channel, ConversationDetail, Customer, User } from '../types';

const TYPING_THROTTLE_MS = 2000;
const TYPING_IDLE_MS = 3000;

interface Props {
  conversation: ConversationDetail;
  customer: Customer | null;
  me: User | null;
  canned: CannedResponse[];
  onSend: (text: string, channel: Channel | null, note: boolean) => Promise<void>;
  onTyping: (typing: boolean) => void;
}

/** Voice cannot carry a typed reply: a caller is answered by SMS on the same number. */
function textChannel(c: Channel | undefined): Channel | undefined {
  return c === 'voice' ? 'sms' : c;
}

export function ReplyBox({ conversation, customer, me, canned, onSend, onTyping }: Props) {
  const defaultChannel: Channel =
    textChannel(lastInbound(conversation.messages)?.channel) ??
    textChannel(conversation.lastChannel) ??
    'email';
  const [text, setText] = useState('');
  const [note, setNote] = useState(false);
  const [channel, setChannel] = useState<Channel>(defaultChannel);
  const [touchedChannel, setTouchedChannel] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);

  // Follow the customer's last inbound channel until the agent picks one.
  useEffect(() => {
    if (!touchedChannel) setChannel(defaultChannel);
  }, [defaultChannel, touchedChannel]);

  const channels = useMemo(() => {
    const set = new Set<Channel>([defaultChannel]);
    for (const i of customer?.identities ?? []) {
      const c = textChannel(i.channel);
      if (c) set.add(c);
    }
    return [...set];
  }, [customer, defaultChannel]);

  // Typing signal: `true` at most every 2 s while keys are pressed, `false` after 3 s idle, on send and on leave.
  const typingSince = useRef(0);
  const idleTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const stopTyping = () => {
    if (idleTimer.current) clearTimeout(idleTimer.current);
    idleTimer.current = null;
    if (typingSince.current) {
      typingSince.current = 0;
      onTyping(false);
    }
  };
  const noteTyping = () => {
    const now = Date.now();
    if (!typingSince.current || now - typingSince.current >= TYPING_THROTTLE_MS) {
      typingSince.current = now;
      onTyping(true);
    }
    if (idleTimer.current) clearTimeout(idleTimer.current);
    idleTimer.current = setTimeout(stopTyping, TYPING_IDLE_MS);
  };
  const stopRef = useRef(stopTyping);
  stopRef.current = stopTyping;
  useEffect(() => () => stopRef.current(), []);

  const send = async (e?: Event) => {
    e?.preventDefault();
    const body = text.trim();
    if (!body || busy) return;
    stopTyping();
    setBusy(true);
    setError(null);
    try {
      await onSend(body, note ? null : channel, note);
      setText('');
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
      area.current?.focus();
    }
  };

  const insertCanned = (id: string) => {
    const c = canned.find((x) => x.id === id);
    if (!c) return;
    const filled = fillCanned(c.text, customer, me);
    const el = area.current;
    if (el && typeof el.selectionStart === 'number') {
      const next = text.slice(0, el.selectionStart) + filled + text.slice(el.selectionEnd);
      const caret = el.selectionStart + filled.length;
      setText(next);
      requestAnimationFrame(() => {
        el.focus();
        el.setSelectionRange(caret, caret);
      });
    } else {
      setText(text ? `${text} ${filled}` : filled);
    }
  };

  return (
    <form class={`reply${note ? ' note-mode' : ''}`} onSubmit={send} data-testid="reply-box">
      <div class="reply-tools">
        <label class="toggle">
          <input
            type="checkbox"
            checked={note}
            onChange={(e) => setNote(e.currentTarget.checked)}
            data-testid="reply-note-toggle"
          />
          Internal note
        </label>
        <label class={note ? 'hidden-when-note' : ''}>
          Send via{' '}
          <select
            value={channel}
            disabled={note}
            data-testid="reply-channel"
            onChange={(e) => {
              setTouchedChannel(true);
              setChannel(e.currentTarget.value as Channel);
            }}
          >
            {channels.map((c) => (
              <option value={c}>{CHANNEL_LABEL[c] ?? c}</option>
            ))}
          </select>
        </label>
        {canned.length > 0 && (
          <select
            value=""
            aria-label="Canned responses"
            data-testid="canned-picker"
            onChange={(e) => {
              insertCanned(e.currentTarget.value);
              e.currentTarget.value = '';
            }}
          >
            <option value="">Canned responses…</option>
            {canned.map((c) => (
              <option value={c.id} title={c.text}>
                /{c.shortCode}
              </option>
            ))}
          </select>
        )}
      </div>
      <textarea
        ref={area}
        rows={3}
        placeholder={
          note
            ? 'Write an internal note (never sent to the customer)'
            : 'Write a reply… (Ctrl+Enter sends)'
        }
        value={text}
        data-testid="reply-text"
        onInput={(e) => {
          setText(e.currentTarget.value);
          if (!note) noteTyping();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void send(e);
        }}
        onBlur={stopTyping}
      />
      {error && (
        <p class="form-error" role="alert" data-testid="reply-error">
          {error}
        </p>
      )}
      <div class="reply-actions">
        <button
          type="submit"
          class="primary"
          disabled={busy || !text.trim()}
          data-testid="reply-send"
        >
          {busy ? 'Sending…' : note ? 'Add note' : 'Send'}
        </button>
      </div>
    </form>
  );
}
