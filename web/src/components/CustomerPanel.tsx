import { CHANNEL_LABEL, fullTime, shortTime } from '../format';
import type { Consent, Customer } from '../types';
import { ChannelMark } from './ChannelMark';
import { IdentityClaims } from './IdentityClaims';

interface Props {
  visible: boolean;
  customer: Customer | null;
  consents: Consent[];
  error: string | null;
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

export function CustomerPanel({ visible, customer, consents, error }: Props) {
  if (!visible) return <aside class="customer-pane empty-pane" />;
  if (!customer) {
    return (
      <aside class="customer-pane">
        {error ? (
          <p class="form-error" role="alert">
            {error}
          </p>
        ) : (
          <p class="muted">Loading customer…</p>
        )}
      </aside>
    );
  }
  const attrs = Object.entries(customer.attributes ?? {});
  const matrix = customer.preferences?.matrix ?? [];
  const quiet = customer.preferences?.quietHours;
  const inForce = currentConsents(consents);
  return (
    <aside class="customer-pane" data-testid="customer-panel" data-customer-id={customer.id}>
      <h3 data-testid="customer-name">{customer.displayName}</h3>
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

      <section>
        <h4>Identities</h4>
        <ul class="plain" data-testid="customer-identities">
          {customer.identities.map((i) => (
            <li
              data-channel={i.channel}
              class={i.status !== 'active' && i.status !== 'verified' ? 'muted' : ''}
            >
              <ChannelMark channel={i.channel} /> <span class="addr">{i.address}</span>{' '}
              {i.status && <span class="small muted">{i.status}</span>}
            </li>
          ))}
          {customer.identities.length === 0 && <li class="muted">none</li>}
        </ul>
      </section>

      <IdentityClaims customerId={customer.id} />

      <section>
        <h4>Preferences</h4>
        {matrix.length === 0 && !quiet && <p class="muted small">No stated preferences.</p>}
        {matrix.length > 0 && (
          <table class="matrix" data-testid="customer-preferences">
            <thead>
              <tr>
                <th>Topic</th>
                <th>Urgency</th>
                <th>Channels</th>
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
            Quiet hours {quiet.start}–{quiet.end}
          </p>
        )}
      </section>

      <section>
        <h4>Consent</h4>
        {inForce.length === 0 && <p class="muted small">No consent recorded.</p>}
        <ul class="plain" data-testid="customer-consents">
          {inForce.map((c) => (
            <li data-channel={c.channel} data-purpose={c.purpose} data-status={c.status}>
              <ChannelMark channel={c.channel} /> {c.purpose}:{' '}
              <span class={c.status === 'granted' ? 'ok' : 'bad'}>{c.status}</span>{' '}
              <span class="small muted" title={fullTime(c.createdAt)}>
                {c.source} · {shortTime(c.createdAt)}
              </span>
            </li>
          ))}
        </ul>
      </section>

      {attrs.length > 0 && (
        <section>
          <h4>Attributes</h4>
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
