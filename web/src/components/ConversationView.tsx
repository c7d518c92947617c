import { useMemo } from 'preact/hooks';
import { CHANNEL_LABEL, fullTime } from '../format';
import { t, type MessageKey } from '../i18n';
import type {
  AgentRef,
  CannedResponse,
  Channel,
  Conversation,
  ConversationDetail,
  Customer,
  User,
} from '../types';
import { conversationActions } from '../use-conversation-actions';
import { ConversationActions } from './ConversationActions';
import { ConversationLabels } from './ConversationLabels';
import { ReplyBox } from './ReplyBox';
import { Timeline } from './Timeline';
import { SlaCountdown } from './SlaCountdown';

interface Props {
  conversationId: string | null;
  detail: ConversationDetail | null;
  error: string | null;
  actionError: string | null;
  customer: Customer | null;
  me: User | null;
  typingNames: string[];
  viewers: AgentRef[];
  breach: string | null;
  canned: CannedResponse[];
  onSend: (
    text: string,
    channel: Channel | null,
    note: boolean,
    attachmentIds?: string[],
  ) => Promise<void>;
  onTyping: (typing: boolean) => void;
  /** The conversation as an action left it (assignment, status, priority, labels). */
  onChanged: (c: Conversation) => void;
  onActionError: (message: string | null) => void;
  /** Opens the customer panel where it has no column (narrow screens). */
  onShowCustomer: () => void;
}

function typingLine(names: string[]): string {
  if (names.length === 1) return t('conversation.typingOne', { name: names[0] });
  return t('conversation.typingMany', {
    names: names.slice(0, -1).join(t('list.separator')),
    last: names[names.length - 1],
  });
}

export function ConversationView(p: Props) {
  const actions = useMemo(
    () =>
      p.conversationId ? conversationActions(p.conversationId, p.onChanged, p.onActionError) : null,
    [p.conversationId, p.onChanged, p.onActionError],
  );
  if (!p.conversationId) {
    return (
      <main class="conv-pane empty-pane">
        <p class="muted">{t('conversation.pick')}</p>
      </main>
    );
  }
  if (!p.detail) {
    return (
      <main class="conv-pane empty-pane">
        {p.error ? (
          <p class="form-error" role="alert">
            {p.error}
          </p>
        ) : (
          <p class="muted">{t('common.loading')}</p>
        )}
      </main>
    );
  }
  const d = p.detail;
  return (
    <main
      class="conv-pane"
      data-testid="conversation-view"
      data-conversation-id={d.id}
      data-status={d.status}
    >
      <header class="conv-header">
        <div class="conv-title">
          <a
            href="#/"
            class="back phone-only"
            data-testid="back-to-list"
            aria-label={t('conversation.back')}
          >
            ‹
          </a>
          <h2 data-testid="conversation-title">
            {d.customer?.displayName || p.customer?.displayName || t('conversation.customer')}
          </h2>
          <span class={`badge st-${d.status}`} data-testid="conversation-status">
            {t(`status.${d.status}` as MessageKey)}
          </span>
          {d.priority !== 'normal' && (
            <span class={`badge prio ${d.priority}`}>
              {t(`priority.${d.priority}` as MessageKey)}
            </span>
          )}
          {d.status === 'snoozed' && d.snoozedUntil && (
            <span class="muted small" data-testid="snoozed-until">
              {t('conversation.snoozedUntil', { time: fullTime(d.snoozedUntil) })}
            </span>
          )}
          <SlaCountdown sla={d.sla} testId="conversation-sla-countdown" />
          {p.breach && !d.sla?.breachedAt && (
            <span class="badge danger" data-testid="conversation-sla-breach">
              {p.breach}
            </span>
          )}
          {d.lastChannel && (
            <span class="muted small">
              {t('conversation.via', { channel: CHANNEL_LABEL[d.lastChannel] })}
            </span>
          )}
        </div>
        <button
          type="button"
          class="customer-toggle"
          onClick={p.onShowCustomer}
          data-testid="show-customer"
        >
          {t('panel.showCustomer')}
        </button>
        {actions && <ConversationActions conversation={d} me={p.me} actions={actions} />}
      </header>
      {actions && (
        <ConversationLabels tags={d.tags ?? []} onChange={(tags) => void actions.setTags(tags)} />
      )}
      {p.actionError && (
        <p class="form-error banner" role="alert">
          {p.actionError}
        </p>
      )}
      {p.viewers.length > 0 && (
        <div class="viewers" data-testid="viewers">
          {t('conversation.alsoViewing', {
            names: p.viewers.map((v) => v.name).join(t('list.separator')),
          })}
        </div>
      )}
      <Timeline conversationId={d.id} messages={d.messages} />
      <div class="typing-slot">
        {p.typingNames.length > 0 && (
          <span class="typing" data-testid="typing-indicator">
            {typingLine(p.typingNames)}
          </span>
        )}
      </div>
      <ReplyBox
        key={d.id}
        conversation={d}
        customer={p.customer}
        me={p.me}
        canned={p.canned}
        onSend={p.onSend}
        onTyping={p.onTyping}
      />
    </main>
  );
}
