import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { client, unwrap } from '../api/client';
import { fileSize, fillCanned } from '../format';
import { t, type MessageKey } from '../i18n';
import { lastInbound } from '../messages';
import {
  activeToken,
  matchCanned,
  matchStaff,
  replaceRange,
  type ActiveToken,
} from '../reply-tokens';
import type { CannedResponse, Channel, ConversationDetail, Customer, User } from '../types';
import {
  CHANNELS_WITH_ATTACHMENTS,
  emailInboxes,
  uploadFile,
  type EmailInbox,
  type Upload,
} from '../uploads';
import { useStaffDirectory } from '../use-staff';
import { EmojiPicker } from './EmojiPicker';
import { ReplySuggestions, type Suggestion } from './ReplySuggestions';

const TYPING_THROTTLE_MS = 2000;
const TYPING_IDLE_MS = 3000;

interface Props {
  conversation: ConversationDetail;
  customer: Customer | null;
  me: User | null;
  canned: CannedResponse[];
  onSend: (
    text: string,
    channel: Channel | null,
    note: boolean,
    attachmentIds?: string[],
  ) => Promise<void>;
  onTyping: (typing: boolean) => void;
}

/** Voice cannot carry a typed reply: a caller is answered by SMS on the same number. */
function textChannel(c: Channel | null | undefined): Channel | undefined {
  return c === 'voice' ? 'sms' : (c ?? undefined);
}

type Pick =
  | { kind: '@'; key: string; insert: string; label: string; hint?: string }
  | { kind: '/'; key: string; insert: string; label: string; hint?: string };

export function ReplyBox({ conversation, customer, me, canned, onSend, onTyping }: Props) {
  // The server says which channel a reply without one takes; older servers leave it to us.
  const defaultChannel: Channel =
    conversation.replyChannel ??
    textChannel(lastInbound(conversation.messages)?.channel) ??
    textChannel(conversation.lastChannel) ??
    'email';
  const [text, setText] = useState('');
  const [caret, setCaret] = useState(0);
  const [note, setNote] = useState(false);
  const [channel, setChannel] = useState<Channel>(defaultChannel);
  const [touchedChannel, setTouchedChannel] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [calling, setCalling] = useState<'idle' | 'busy' | 'placed'>('idle');
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<number | null>(null);
  const [files, setFiles] = useState<Upload[]>([]);
  const [uploading, setUploading] = useState(0);
  const [dragging, setDragging] = useState(false);
  const [inboxes, setInboxes] = useState<EmailInbox[]>([]);
  const area = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const { staff } = useStaffDirectory();

  useEffect(() => {
    let live = true;
    void emailInboxes().then((i) => live && setInboxes(i));
    return () => {
      live = false;
    };
  }, []);
  const signature =
    !note && channel === 'email' ? inboxes.find((i) => i.repliesFrom)?.signature : null;
  const filesRefused = !note && files.length > 0 && !CHANNELS_WITH_ATTACHMENTS.includes(channel);

  const addFiles = async (list: FileList | File[] | null | undefined) => {
    const picked = [...(list ?? [])];
    if (!picked.length) return;
    setError(null);
    setUploading((n) => n + picked.length);
    for (const f of picked) {
      try {
        const up = await uploadFile(f);
        setFiles((fs) => [...fs, up]);
      } catch (err) {
        setError(
          t('reply.uploadFailed', {
            name: f.name,
            reason: err instanceof ApiError ? err.message : String(err),
          }),
        );
      } finally {
        setUploading((n) => n - 1);
      }
    }
  };

  // Follow the server's reply channel until the agent picks one.
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

  const phone = customer?.identities.some((i) => i.channel === 'sms' || i.channel === 'voice');

  const token: ActiveToken | null = useMemo(() => {
    const tok = activeToken(text, caret);
    return tok && tok.start !== dismissed ? tok : null;
  }, [text, caret, dismissed]);

  const picks: Pick[] = useMemo(() => {
    if (!token) return [];
    if (token.kind === '@') {
      return matchStaff(
        staff.filter((s) => s.id !== me?.id),
        token.query,
      ).map((s) => ({
        kind: '@',
        key: s.id,
        insert: `@${s.name} `,
        label: s.name,
        hint: t(`reply.role.${s.role}` as MessageKey),
      }));
    }
    return matchCanned(canned, token.query).map((c) => ({
      kind: '/',
      key: c.id,
      insert: fillCanned(c.text, customer, me),
      label: `/${c.shortCode}`,
      hint: c.text.length > 60 ? `${c.text.slice(0, 60)}…` : c.text,
    }));
  }, [token, staff, canned, customer, me]);

  useEffect(() => setActive(0), [token?.kind, token?.start, token?.query]);

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
    if (!body || busy || uploading > 0 || filesRefused) return;
    stopTyping();
    setBusy(true);
    setError(null);
    try {
      const ids = note ? [] : files.map((f) => f.id);
      await onSend(body, note ? null : channel, note, ids);
      setText('');
      setCaret(0);
      if (!note) setFiles([]);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
      area.current?.focus();
    }
  };

  /** Puts insert in place of [start, end) and the caret after it. */
  const place = (start: number, end: number, insert: string) => {
    const next = replaceRange(text, start, end, insert);
    setText(next.text);
    setCaret(next.caret);
    const el = area.current;
    if (el) {
      requestAnimationFrame(() => {
        el.focus();
        el.setSelectionRange(next.caret, next.caret);
      });
    }
  };

  const choose = (index: number) => {
    const p = picks[index];
    if (!p || !token) return;
    place(token.start, caret, p.insert);
  };

  const insertAtCaret = (insert: string) => {
    const el = area.current;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    place(start, end, insert);
  };

  const call = async () => {
    setCalling('busy');
    setError(null);
    try {
      await unwrap(
        client.POST('/api/v1/conversations/{id}/call', {
          params: { path: { id: conversation.id } },
          body: {},
        }),
      );
      setCalling('placed');
    } catch (err) {
      setCalling('idle');
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };

  const suggestions: Suggestion[] = picks.map((p) => ({
    key: p.key,
    label: p.label,
    hint: p.hint,
  }));

  return (
    <form
      class={`reply${note ? ' note-mode' : ''}${dragging ? ' dragging' : ''}`}
      onSubmit={send}
      data-testid="reply-box"
      onDragOver={(e) => {
        if (note || !e.dataTransfer?.types.includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        if (note || !e.dataTransfer?.files.length) return;
        e.preventDefault();
        setDragging(false);
        void addFiles(e.dataTransfer.files);
      }}
    >
      <div class="reply-tools">
        <label class="toggle">
          <input
            type="checkbox"
            checked={note}
            onChange={(e) => setNote(e.currentTarget.checked)}
            data-testid="reply-note-toggle"
          />
          {t('reply.note')}
        </label>
        <label class={note ? 'hidden-when-note' : ''}>
          {t('reply.via')}{' '}
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
              <option value={c}>{t(`reply.channel.${c}` as MessageKey)}</option>
            ))}
          </select>
        </label>
        <EmojiPicker onPick={insertAtCaret} />
        {!note && (
          <button
            type="button"
            class="icon-button"
            aria-label={t('reply.attach')}
            title={t('reply.attach')}
            data-testid="reply-attach"
            onClick={() => picker.current?.click()}
          >
            📎
          </button>
        )}
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          data-testid="reply-file-input"
          onChange={(e) => {
            void addFiles(e.currentTarget.files);
            e.currentTarget.value = '';
          }}
        />
        {phone && (
          <button
            type="button"
            class="call-button"
            disabled={calling === 'busy'}
            data-testid="reply-call"
            onClick={() => void call()}
          >
            {calling === 'busy'
              ? t('reply.calling')
              : calling === 'placed'
                ? t('reply.callPlaced')
                : t('reply.call')}
          </button>
        )}
      </div>
      <div class="reply-input">
        {suggestions.length > 0 && (
          <ReplySuggestions
            items={suggestions}
            active={Math.min(active, suggestions.length - 1)}
            label={token?.kind === '@' ? t('reply.mentions') : t('reply.canned')}
            onPick={choose}
            onHover={setActive}
          />
        )}
        <textarea
          ref={area}
          rows={3}
          placeholder={note ? t('reply.notePlaceholder') : t('reply.placeholder')}
          value={text}
          aria-label={note ? t('reply.notePlaceholder') : t('reply.placeholder')}
          aria-autocomplete="list"
          data-testid="reply-text"
          onInput={(e) => {
            setText(e.currentTarget.value);
            setCaret(e.currentTarget.selectionStart ?? e.currentTarget.value.length);
            setDismissed(null);
            if (!note) noteTyping();
          }}
          onKeyUp={(e) => {
            if (!['ArrowUp', 'ArrowDown', 'Enter', 'Tab', 'Escape'].includes(e.key))
              setCaret(e.currentTarget.selectionStart ?? 0);
          }}
          onClick={(e) => setCaret(e.currentTarget.selectionStart ?? 0)}
          onKeyDown={(e) => {
            if (suggestions.length > 0) {
              if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                e.preventDefault();
                const n = suggestions.length;
                setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
                return;
              }
              if ((e.key === 'Enter' && !e.ctrlKey && !e.metaKey) || e.key === 'Tab') {
                e.preventDefault();
                choose(Math.min(active, suggestions.length - 1));
                return;
              }
              if (e.key === 'Escape') {
                e.preventDefault();
                setDismissed(token?.start ?? null);
                return;
              }
            }
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void send(e);
          }}
          onBlur={stopTyping}
          onPaste={(e) => {
            if (note || !e.clipboardData?.files.length) return;
            e.preventDefault();
            void addFiles(e.clipboardData.files);
          }}
        />
      </div>
      {!note && (files.length > 0 || uploading > 0) && (
        <ul class="reply-files" data-testid="reply-files">
          {files.map((f) => (
            <li key={f.id} data-testid="reply-file">
              <span class="reply-file-name">{f.filename}</span>
              <span class="muted"> {fileSize(f.size)}</span>
              <button
                type="button"
                class="icon-button"
                aria-label={t('reply.removeFile', { name: f.filename })}
                onClick={() => setFiles((fs) => fs.filter((x) => x.id !== f.id))}
              >
                ×
              </button>
            </li>
          ))}
          {uploading > 0 && <li class="muted">{t('reply.uploading')}</li>}
        </ul>
      )}
      {!note && channel === 'whatsapp' && (
        <p class="muted" data-testid="reply-whatsapp-window">
          {t('whatsapp.windowHint')}
        </p>
      )}
      {filesRefused && (
        <p class="form-error" data-testid="reply-files-refused">
          {t('reply.filesNotCarried', { channel: t(`reply.channel.${channel}` as MessageKey) })}
        </p>
      )}
      {signature && (
        <pre
          class="reply-signature"
          data-testid="reply-signature"
          aria-label={t('reply.signature')}
        >
          {`-- \n${signature}`}
        </pre>
      )}
      {error && (
        <p class="form-error" role="alert" data-testid="reply-error">
          {error}
        </p>
      )}
      <div class="reply-actions">
        <span class="reply-hint">{t('reply.hint')}</span>
        <button
          type="submit"
          class="primary"
          disabled={busy || !text.trim() || uploading > 0 || filesRefused}
          data-testid="reply-send"
        >
          {busy ? t('reply.sending') : note ? t('reply.addNote') : t('reply.send')}
        </button>
      </div>
    </form>
  );
}
