import { CHANNEL_LABEL } from '../format';
import type {
  AgentRef,
  CannedResponse,
  Channel,
  ConversationDetail,
  ConversationStatus,
  Customer,
  User,
} from '../types';
import { ReplyBox } from './ReplyBox';
import { Timeline } from './Timeline';

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
  onSend: (text: string, channel: Channel | null, note: boolean) => Promise<void>;
  onTyping: (typing: boolean) => void;
  onStatus: (status: ConversationStatus) => void;
  onAssignMe: () => void;
}

function typingLine(names: string[]): string {
  if (names.length === 1) return `${names[0]} is typing…`;
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} are typing…`;
}

export function ConversationView(p: Props) {
  if (!p.conversationId) {
    return (
      <main class="conv-pane empty-pane">
        <p class="muted">Pick a conversation on the left.</p>
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
          <p class="muted">Loading…</p>
        )}
      </main>
    );
  }
  const d = p.detail;
  const resolved = d.status === 'resolved';
  const mine = !!p.me && d.assigneeId === p.me.id;
  return (
    <main
      class="conv-pane"
      data-testid="conversation-view"
      data-conversation-id={d.id}
      data-status={d.status}
    >
      <header class="conv-header">
        <div class="conv-title">
          <h2 data-testid="conversation-title">
            {d.customer?.displayName || p.customer?.displayName || 'Customer'}
          </h2>
          <span class={`badge st-${d.status}`} data-testid="conversation-status">
            {d.status}
          </span>
          {d.priority !== 'normal' && <span class={`badge prio ${d.priority}`}>{d.priority}</span>}
          {p.breach && (
            <span class="badge danger" data-testid="conversation-sla-breach">
              {p.breach}
            </span>
          )}
          <span class="muted small">via {CHANNEL_LABEL[d.lastChannel] ?? d.lastChannel}</span>
        </div>
        <div class="conv-actions">
          {!mine && p.me && (
            <button type="button" onClick={p.onAssignMe} data-testid="assign-me">
              {d.assigneeId ? 'Take over' : 'Assign to me'}
            </button>
          )}
          {mine && <span class="muted small">Assigned to you</span>}
          {resolved ? (
            <button type="button" onClick={() => p.onStatus('open')} data-testid="reopen">
              Reopen
            </button>
          ) : (
            <button
              type="button"
              class="primary"
              onClick={() => p.onStatus('resolved')}
              data-testid="resolve"
            >
              Resolve
            </button>
          )}
        </div>
      </header>
      {p.actionError && (
        <p class="form-error banner" role="alert">
          {p.actionError}
        </p>
      )}
      {p.viewers.length > 0 && (
        <div class="viewers" data-testid="viewers">
          Also viewing: {p.viewers.map((v) => v.name).join(', ')}
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
