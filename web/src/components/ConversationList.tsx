import type { ComponentChildren } from 'preact';
import { CHANNEL_LABEL, shortTime } from '../format';
import { CHANNELS, type Channel, type Conversation, type Filters } from '../types';
import { ChannelMark } from './ChannelMark';

const STATUS_TABS: { value: Filters['status']; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'pending', label: 'Pending' },
  { value: 'snoozed', label: 'Snoozed' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'all', label: 'All' },
];

interface Props {
  filters: Filters;
  onFilters: (f: Filters) => void;
  items: Conversation[];
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  onLoadMore: () => void;
  selectedId: string | null;
  onSelect: (id: string) => void;
  breaches: Record<string, string>;
  connected: boolean;
  /** Shown at the foot of the pane (who else is online). */
  children?: ComponentChildren;
}

export function ConversationList(p: Props) {
  const set = (patch: Partial<Filters>) => p.onFilters({ ...p.filters, ...patch });
  return (
    <aside class="list-pane" data-testid="conversation-list">
      <div class="list-filters">
        <div class="tabs" role="tablist" data-testid="status-tabs">
          {STATUS_TABS.map((t) => (
            <button
              type="button"
              role="tab"
              aria-selected={p.filters.status === t.value}
              class={p.filters.status === t.value ? 'tab active' : 'tab'}
              data-testid={`status-tab-${t.value}`}
              onClick={() => set({ status: t.value })}
            >
              {t.label}
            </button>
          ))}
        </div>
        <div class="filter-row">
          <select
            aria-label="Assignee"
            value={p.filters.assignee}
            data-testid="filter-assignee"
            onChange={(e) => set({ assignee: e.currentTarget.value as Filters['assignee'] })}
          >
            <option value="all">Everyone</option>
            <option value="me">Mine</option>
            <option value="none">Unassigned</option>
          </select>
          <select
            aria-label="Channel"
            value={p.filters.channel}
            data-testid="filter-channel"
            onChange={(e) => set({ channel: e.currentTarget.value as Channel | '' })}
          >
            <option value="">All channels</option>
            {CHANNELS.map((c) => (
              <option value={c}>{CHANNEL_LABEL[c]}</option>
            ))}
          </select>
        </div>
        <input
          type="search"
          placeholder="Search customers and messages"
          aria-label="Search"
          value={p.filters.q}
          data-testid="filter-search"
          onInput={(e) => set({ q: e.currentTarget.value })}
        />
        <div class="list-meta">
          <span class={p.connected ? 'live on' : 'live off'} data-testid="live-status">
            {p.connected ? 'live' : 'offline'}
          </span>
          {p.loading && <span class="muted">loading…</span>}
        </div>
      </div>
      {p.error && (
        <p class="form-error" role="alert">
          {p.error}
        </p>
      )}
      <ul class="rows">
        {p.items.map((c) => (
          <li
            key={c.id}
            class={`row${c.id === p.selectedId ? ' selected' : ''} prio-${c.priority}`}
            data-testid="conversation-row"
            data-conversation-id={c.id}
            data-status={c.status}
            onClick={() => p.onSelect(c.id)}
          >
            <a
              href={`#/c/${encodeURIComponent(c.id)}`}
              onClick={(e) => e.preventDefault()}
              class="row-link"
            >
              <div class="row-top">
                <ChannelMark channel={c.lastChannel} />
                <span class="row-name" data-testid="conversation-customer">
                  {c.customer?.displayName || 'Unknown customer'}
                </span>
                <time class="row-time" dateTime={c.lastMessageAt ?? c.createdAt}>
                  {shortTime(c.lastMessageAt ?? c.createdAt)}
                </time>
              </div>
              <div class="row-bottom">
                <span class="row-preview" data-testid="conversation-preview">
                  {c.lastMessagePreview ?? ''}
                </span>
                {p.breaches[c.id] && (
                  <span class="badge danger" data-testid="sla-breach" title={p.breaches[c.id]}>
                    SLA
                  </span>
                )}
                {(c.priority === 'high' || c.priority === 'critical') && (
                  <span class={`badge prio ${c.priority}`}>{c.priority}</span>
                )}
                {p.filters.status === 'all' && (
                  <span class={`badge st-${c.status}`}>{c.status}</span>
                )}
              </div>
            </a>
          </li>
        ))}
      </ul>
      {!p.loading && p.items.length === 0 && !p.error && (
        <p class="empty" data-testid="conversation-list-empty">
          No conversations here.
        </p>
      )}
      {p.hasMore && (
        <button
          type="button"
          class="load-more"
          disabled={p.loading}
          onClick={p.onLoadMore}
          data-testid="load-more"
        >
          Load more
        </button>
      )}
      {p.children}
    </aside>
  );
}
