import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useOpenableUrl } from '../attachment-link';
import { emailSrcdoc, hasRemoteContent } from '../email-frame';
import { CHANNEL_LABEL, duration, fullTime, shortTime } from '../format';
import { t, type MessageKey } from '../i18n';
import type { Message } from '../types';
import { Attachments } from './Attachments';
import { ChannelMark } from './ChannelMark';

export function Timeline({
  conversationId,
  messages,
}: {
  conversationId: string;
  messages: Message[];
}) {
  const ref = useRef<HTMLDivElement>(null);
  const stick = useRef(true);

  // Start at the bottom when a conversation opens; follow new messages if already at the bottom.
  useEffect(() => {
    stick.current = true;
  }, [conversationId]);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [messages, conversationId]);

  const onScroll = () => {
    const el = ref.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
  };

  return (
    <div class="timeline" ref={ref} onScroll={onScroll} data-testid="timeline">
      {messages.length === 0 && <p class="muted center">{t('timeline.empty')}</p>}
      {messages.map((m) => (
        <TimelineItem key={m.id} m={m} />
      ))}
    </div>
  );
}

function TimelineItem({ m }: { m: Message }) {
  const common = {
    'data-testid': 'message',
    'data-message-id': m.id,
    'data-direction': m.direction,
    'data-channel': m.channel,
    'data-kind': m.kind,
  };
  if (m.kind === 'event') {
    return (
      <div class="item event" {...common}>
        <ChannelMark channel={m.channel} /> {m.text}{' '}
        <time title={fullTime(m.createdAt)}>{shortTime(m.createdAt)}</time>
      </div>
    );
  }
  const who =
    m.kind === 'note'
      ? `${t('timeline.note')}${m.author ? ` · ${m.author.name}` : ''}`
      : m.direction === 'outbound'
        ? (m.author?.name ?? t('nav.brand'))
        : t('conversation.customer');
  return (
    <div class={`item ${m.kind} ${m.direction}${m.pending ? ' pending' : ''}`} {...common}>
      <div class="bubble">
        <div class="item-head">
          <ChannelMark channel={m.channel} />
          <span class="who">{who}</span>
          <time title={fullTime(m.createdAt)}>{shortTime(m.createdAt)}</time>
        </div>
        {m.subject && <div class="subject">{m.subject}</div>}
        {m.kind === 'call' ? <CallBody m={m} /> : <Body m={m} />}
        {m.attachments?.length > 0 && m.kind !== 'call' && <Attachments list={m.attachments} />}
        {m.direction === 'outbound' && m.kind === 'message' && (
          <div class="item-foot">
            <span
              class={`status st-${m.status}`}
              data-testid="message-status"
              data-status={m.status}
            >
              {t(`delivery.${m.status}` as MessageKey)}
            </span>
            {m.route?.channel && m.route.channel !== m.channel && (
              <span class="muted small">
                {' '}
                {t('timeline.routedTo', { channel: CHANNEL_LABEL[m.route.channel] })}
              </span>
            )}
          </div>
        )}
      </div>
    </div>
  );
}

function Body({ m }: { m: Message }) {
  const [showHtml, setShowHtml] = useState(false);
  return (
    <>
      {m.text && <div class="text">{m.text}</div>}
      {m.html && (
        <>
          <button
            type="button"
            class="link small"
            data-testid="toggle-formatted"
            onClick={() => setShowHtml(!showHtml)}
          >
            {showHtml ? t('email.hideFormatted') : t('email.showFormatted')}
          </button>
          {showHtml && <FormattedEmail html={m.html} />}
        </>
      )}
    </>
  );
}

/** The mail's HTML with remote content blocked until the agent asks (see email-frame.ts). */
function FormattedEmail({ html }: { html: string }) {
  const [remote, setRemote] = useState(false);
  const offer = !remote && hasRemoteContent(html);
  return (
    <div class="formatted-email">
      {offer && (
        <div class="remote-blocked" data-testid="remote-blocked">
          <span class="muted small">{t('email.remoteBlocked')}</span>
          <button
            type="button"
            class="link small"
            data-testid="load-remote"
            onClick={() => setRemote(true)}
          >
            {t('email.loadRemote')}
          </button>
        </div>
      )}
      {/* Sandboxed: no scripts, no same-origin access; keyed so the policy change reloads it. */}
      <iframe
        key={remote ? 'remote' : 'blocked'}
        class="html-frame"
        sandbox=""
        srcdoc={emailSrcdoc(html, remote)}
        title={t('email.frameTitle')}
        data-testid="formatted-email"
        data-remote={remote ? 'loaded' : 'blocked'}
      />
    </div>
  );
}

/** The call's status, length, recording and transcript, from the message's metadata. */
function callDetails(metadata: Record<string, unknown> | undefined): {
  status?: string;
  duration?: number;
  recordingUrl?: string;
  transcript?: string;
} {
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const md = metadata ?? {};
  return {
    status: text(md.callStatus),
    duration: typeof md.duration === 'number' ? md.duration : undefined,
    recordingUrl: text(md.recordingUrl),
    transcript: text(md.transcript),
  };
}

function CallBody({ m }: { m: Message }) {
  // What Twilio told of the call (channel-adapters/voice/voice-events.ts) is in its metadata.
  const call = callDetails(m.metadata);
  const secs = call.duration;
  // The stored recording (our own download route) before Twilio's URL.
  const recording = useOpenableUrl(
    m.attachments.find((a) => a.contentType.startsWith('audio/'))?.url ?? call.recordingUrl,
  );
  const transcript = call.transcript ?? m.text;
  return (
    <div class="call" data-testid="call">
      <div>
        {m.direction === 'inbound' ? t('timeline.incomingCall') : t('timeline.outgoingCall')}
        {call.status && <span class="muted"> · {call.status.replace(/-/g, ' ')}</span>}
        {secs !== undefined && <span data-testid="call-duration"> · {duration(secs)}</span>}
      </div>
      {recording && <audio controls preload="none" src={recording} data-testid="call-recording" />}
      {transcript && (
        <blockquote class="transcript" data-testid="call-transcript">
          {transcript}
        </blockquote>
      )}
    </div>
  );
}
