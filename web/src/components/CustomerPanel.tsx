import { useState } from 'preact/hooks';
import { CHANNEL_LABEL, fullTime, shortTime } from '../format';
import type { Consent, Customer } from '../types';
import { t, type MessageKey } from '../i18n';
import { ChannelMark } from './ChannelMark';
import { ContactBudgetSection } from './ContactBudgetSection';
import { CustomerCampaigns } from './CustomerCampaigns';
import { CustomerConversations } from './CustomerConversations';
import { CustomerDuplicates } from './CustomerDuplicates';
import { CustomerEditForm } from './CustomerEditForm';
import '../customer-panel.css';
import { IdentityClaims } from './IdentityClaims';

interface Props {
  visible: boolean;
  customer: Customer | null;
  consents: Consent[];
  error: string | null;
  /** Changes when what the contact budget weighs may have changed (the conversation's status). */
  refresh: string;
  /** Shown over the conversation on narrow screens (where the panel is otherwise hidden). */
  open: boolean;
  onClose: () => void;
}

/** The latest ledger entry per (channel, purpose) is the consent in force. */
function currentConsents(list: Consent[]): Consent[] {
  const latest = new Map<string, Consent>();
  for (const c of list) {
    const key = `${c.channel}:${c.purpose}`;
    const prev = latest.get(key);
    if (!prev || Date.parse(c.createdAt) >= Date.parse(prev.createdAt)) latest.set(key, c);
  }
  return [...latest.values()].sort((a, b) =>
    `${a.channel}${a.purpose}`.localeCompare(`${b.channel}${b.purpose}`),
  );
}

export function CustomerPanel({
  visible,
  customer: given,
  consents,
  error,
  refresh,
  open,
  onClose,
}: Props) {
  // What this panel saved or merged, shown until the inbox loads the customer again.
  const [local, setLocal] = useState<Customer | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [changes, setChanges] = useState(0);
  const customer = given && local?.id === given.id ? local : given;
  const changed = (c: Customer) => {
    setLocal(c);
    setEditing(null);
    setChanges((n) => n + 1);
  };
  if (!visible) return <aside class="customer-pane empty-pane" />;
  const paneClass = open ? 'customer-pane open' : 'customer-pane';
  const close = (
    <button type="button" class="customer-close" onClick={onClose} data-testid="customer-close">
      {t('panel.close')}
    </button>
  );
  if (!customer) {
    return (
      <aside class={paneClass}>
        {close}
        {error ? (
          <p class="form-error" role="alert">
            {error}
          </p>
        ) : (
          <p class="muted">{t('common.loading')}</p>
        )}
      </aside>
    );
  }
  const attrs = Object.entries(customer.attributes ?? {});
  const matrix = customer.preferences?.matrix ?? [];
  const quiet = customer.preferences?.quietHours;
  const inForce = currentConsents(consents);
  return (
    <aside class={paneClass} data-testid="customer-panel" data-customer-id={customer.id}>
      {close}
      <h3 data-testid="customer-name">{customer.displayName}</h3>
      {editing === customer.id ? (
        <CustomerEditForm customer={customer} onSaved={changed} onCancel={() => setEditing(null)} />
      ) : (
        <button
          type="button"
          class="secondary small"
          data-testid="customer-edit-open"
          onClick={() => setEditing(customer.id)}
        >
          {t('customer.edit')}
        </button>
      )}
      <p class="muted small">
        {[customer.locale, customer.timezone].filter(Boolean).join(' · ')}
        {customer.tier && (
          <>
            {' '}
            <span class="badge tier" data-testid="customer-tier">
              {customer.tier}
            </span>
          </>
        )}
      </p>
      {(customer.tags?.length ?? 0) > 0 && (
        <div class="tags" data-testid="customer-tags">
          {customer.tags!.map((t) => (
            <span class="tag">{t}</span>
          ))}
        </div>
      )}

      <ContactBudgetSection customerId={customer.id} refresh={refresh} />

      <CustomerConversations customerId={customer.id} refresh={`${refresh}:${changes}`} />
      <CustomerCampaigns customerId={customer.id} refresh={`${refresh}:${changes}`} />
      <CustomerDuplicates
        customer={customer}
        refresh={`${refresh}:${changes}`}
        onMerged={changed}
      />

      <section>
        <h4>{t('customer.identities')}</h4>
        <ul class="plain" data-testid="customer-identities">
          {customer.identities.map((i) => (
            <li data-channel={i.channel} class={i.status !== 'active' ? 'muted' : ''}>
              <ChannelMark channel={i.channel} /> <span class="addr">{i.address}</span>{' '}
              {i.status && (
                <span class="small muted">{t(`identity.status.${i.status}` as MessageKey)}</span>
              )}
            </li>
          ))}
          {customer.identities.length === 0 && (
            <li class="muted">{t('customer.identities.none')}</li>
          )}
        </ul>
      </section>

      <IdentityClaims customerId={customer.id} />

      <section>
        <h4>{t('customer.preferences')}</h4>
        {matrix.length === 0 && !quiet && (
          <p class="muted small">{t('customer.preferences.none')}</p>
        )}
        {matrix.length > 0 && (
          <table class="matrix" data-testid="customer-preferences">
            <thead>
              <tr>
                <th>{t('customer.preferences.topic')}</th>
                <th>{t('customer.preferences.urgency')}</th>
                <th>{t('customer.preferences.channels')}</th>
              </tr>
            </thead>
            <tbody>
              {matrix.map((r) => (
                <tr>
                  <td>{r.topic}</td>
                  <td>{r.urgency}</td>
                  <td>{r.channels.map((c) => CHANNEL_LABEL[c] ?? c).join(' › ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {quiet && (
          <p class="small" data-testid="customer-quiet-hours">
            {t('customer.quietHours', { start: quiet.start, end: quiet.end })}
          </p>
        )}
      </section>

      <section>
        <h4>{t('customer.consent')}</h4>
        {inForce.length === 0 && <p class="muted small">{t('customer.consent.none')}</p>}
        <ul class="plain" data-testid="customer-consents">
          {inForce.map((c) => (
            <li data-channel={c.channel} data-purpose={c.purpose} data-status={c.status}>
              <ChannelMark channel={c.channel} />{' '}
              {t(`campaigns.purpose.${c.purpose}` as MessageKey)}:{' '}
              <span class={c.status === 'granted' ? 'ok' : 'bad'}>
                {t(`consent.${c.status}` as MessageKey)}
              </span>{' '}
              <span class="small muted" title={fullTime(c.createdAt)}>
                <code data-literal>{c.source}</code> · {shortTime(c.createdAt)}
              </span>
            </li>
          ))}
        </ul>
      </section>

      {attrs.length > 0 && (
        <section>
          <h4>{t('customer.attributes')}</h4>
          <dl class="attrs">
            {attrs.map(([k, v]) => (
              <>
                <dt>{k}</dt>
                <dd>{typeof v === 'object' ? JSON.stringify(v) : String(v)}</dd>
              </>
            ))}
          </dl>
        </section>
      )}
    </aside>
  );
}
