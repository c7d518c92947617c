import type { ComponentChildren } from 'preact';
import { CHANNEL_LABEL, shortTime } from '../format';
import { t, type MessageKey } from '../i18n';
import {
  CHANNELS,
  type Channel,
  type Conversation,
  type Filters,
  type MatchedCustomer,
} from '../types';
import type { RowSelection } from '../use-selection';
import { ChannelMark } from './ChannelMark';
import { LabelFilter, RowCheck, RowLabels } from './RowLabels';
import { SlaCountdown } from './SlaCountdown';

const STATUS_TABS: { value: Filters['status']; label: MessageKey }[] = [
  { value: 'open', label: 'status.open' },
  { value: 'pending', label: 'status.pending' },
  { value: 'snoozed', label: 'status.snoozed' },
  { value: 'resolved', label: 'status.resolved' },
  { value: 'all', label: 'list.all' },
];

interface Props {
  filters: Filters;
  onFilters: (f: Filters) => void;
  items: Conversation[];
  /** Customers the search matched, shown above the conversations. */
  customers: MatchedCustomer[];
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  onLoadMore: () => void;
  selectedId: string | null;
  onSelect: (id: string) => void;
  breaches: Record<string, string>;
  connected: boolean;
  /** The rows picked for bulk actions (checkboxes shown when given). */
  selection?: RowSelection;
  /** Shown at the foot of the pane (who else is online). */
  children?: ComponentChildren;
}

export function ConversationList(p: Props) {
  const set = (patch: Partial<Filters>) => p.onFilters({ ...p.filters, ...patch });
  return (
    <aside class="list-pane" data-testid="conversation-list">
      <div class="list-filters">
        <div class="tabs" role="tablist" data-testid="status-tabs">
          {STATUS_TABS.map((tab) => (
            <button
              type="button"
              role="tab"
              aria-selected={p.filters.status === tab.value}
              class={p.filters.status === tab.value ? 'tab active' : 'tab'}
              data-testid={`status-tab-${tab.value}`}
              onClick={() => set({ status: tab.value })}
            >
              {t(tab.label)}
            </button>
          ))}
        </div>
        <div class="filter-row">
          <select
            aria-label={t('list.assignee')}
            value={p.filters.assignee}
            data-testid="filter-assignee"
            onChange={(e) => set({ assignee: e.currentTarget.value as Filters['assignee'] })}
          >
            <option value="all">{t('list.everyone')}</option>
            <option value="me">{t('list.mine')}</option>
            <option value="none">{t('actions.unassigned')}</option>
          </select>
          <select
            aria-label={t('list.channel')}
            value={p.filters.channel}
            data-testid="filter-channel"
            onChange={(e) => set({ channel: e.currentTarget.value as Channel | '' })}
          >
            <option value="">{t('list.allChannels')}</option>
            {CHANNELS.map((c) => (
              <option value={c}>{CHANNEL_LABEL[c]}</option>
            ))}
          </select>
        </div>
        <input
          type="search"
          placeholder={t('search.placeholder')}
          aria-label={t('search.label')}
          value={p.filters.q}
          data-testid="filter-search"
          onInput={(e) => set({ q: e.currentTarget.value })}
        />
        <div class="list-meta">
          <span class={p.connected ? 'live on' : 'live off'} data-testid="live-status">
            {p.connected ? t('list.live') : t('list.offline')}
          </span>
          {p.loading && <span class="muted">{t('common.loading')}</span>}
          {p.selection && p.items.length > 0 && (
            <label class="select-all">
              <input
                type="checkbox"
                checked={p.items.every((c) => p.selection?.ids.has(c.id))}
                onClick={() => p.selection?.toggleAll()}
                data-testid="select-all"
              />
              {t('bulk.selectAll')}
            </label>
          )}
        </div>
        {p.filters.tag && <LabelFilter tag={p.filters.tag} onClear={() => set({ tag: '' })} />}
      </div>
      {p.error && (
        <p class="form-error" role="alert">
          {p.error}
        </p>
      )}
      {p.filters.q.trim() !== '' && p.customers.length > 0 && (
        <MatchedCustomers customers={p.customers} onSelect={p.onSelect} />
      )}
      <ul class="rows">
        {p.items.map((c) => (
          <li
            key={c.id}
            class={`row${c.id === p.selectedId ? ' selected' : ''}${p.selection ? ' with-check' : ''} prio-${c.priority}`}
            data-testid="conversation-row"
            data-conversation-id={c.id}
            data-status={c.status}
            onClick={() => p.onSelect(c.id)}
          >
            {p.selection && (
              <RowCheck
                checked={p.selection.ids.has(c.id)}
                name={c.customer?.displayName ?? ''}
                onToggle={(range) => p.selection?.toggle(c.id, range)}
              />
            )}
            <a
              href={`#/c/${encodeURIComponent(c.id)}`}
              onClick={(e) => e.preventDefault()}
              class="row-link"
            >
              <div class="row-top">
                <ChannelMark channel={c.lastChannel} />
                <span class="row-name" data-testid="conversation-customer">
                  {c.customer?.displayName || t('list.unknownCustomer')}
                </span>
                <time class="row-time" dateTime={c.lastMessageAt ?? c.createdAt}>
                  {shortTime(c.lastMessageAt ?? c.createdAt)}
                </time>
              </div>
              <div class="row-bottom">
                <span class="row-preview" data-testid="conversation-preview">
                  {c.lastMessagePreview ?? ''}
                </span>
                <SlaCountdown sla={c.sla} testId="sla-countdown" />
                {p.breaches[c.id] && !c.sla?.breachedAt && (
                  <span class="badge danger" data-testid="sla-breach" title={p.breaches[c.id]}>
                    {t('list.sla')}
                  </span>
                )}
                {(c.priority === 'high' || c.priority === 'critical') && (
                  <span class={`badge prio ${c.priority}`}>
                    {t(`priority.${c.priority}` as MessageKey)}
                  </span>
                )}
                {p.filters.status === 'all' && (
                  <span class={`badge st-${c.status}`}>
                    {t(`status.${c.status}` as MessageKey)}
                  </span>
                )}
              </div>
              <RowLabels tags={c.tags ?? []} onPick={(tag) => set({ tag })} />
            </a>
          </li>
        ))}
      </ul>
      {!p.loading && p.items.length === 0 && !p.error && (
        <p class="empty" data-testid="conversation-list-empty">
          {t('list.empty')}
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
          {t('list.loadMore')}
        </button>
      )}
      {p.children}
    </aside>
  );
}

const MATCHED_LABEL: Record<MatchedCustomer['matched']['field'], MessageKey> = {
  name: 'search.matched.name',
  phone: 'search.matched.phone',
  email: 'search.matched.email',
  wechat: 'search.matched.wechat',
};

/** The customers a search matched: each opens their latest conversation. */
function MatchedCustomers(p: { customers: MatchedCustomer[]; onSelect: (id: string) => void }) {
  return (
    <section class="matched-customers" data-testid="matched-customers">
      <h3>{t('search.customers')}</h3>
      <ul class="rows">
        {p.customers.map((c) => (
          <li
            key={c.id}
            class="row matched-customer"
            data-testid="matched-customer"
            data-customer-id={c.id}
          >
            <a
              href={`#/c/${encodeURIComponent(c.conversationId)}`}
              class="row-link"
              onClick={(e) => {
                e.preventDefault();
                p.onSelect(c.conversationId);
              }}
            >
              <span class="row-name" data-testid="matched-customer-name">
                {c.displayName}
              </span>
              <span class="matched-identity" data-testid="matched-identity">
                {c.matched.field === 'name'
                  ? t(MATCHED_LABEL.name)
                  : `${t(MATCHED_LABEL[c.matched.field])} · ${c.matched.value}`}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
