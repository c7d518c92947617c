// The rows of the contacts list: each links to the customer's page.
import { shortTime } from '../../format';
import { t, type MessageKey } from '../../i18n';
import type { ContactRow } from '../../hooks/useContacts';

const CONSENT_CHANNELS = ['email', 'sms', 'wechat'] as const;

export function ContactRows({ rows }: { rows: ContactRow[] }) {
  return (
    <ul class="contact-rows" data-testid="contact-rows">
      {rows.map((c) => (
        <li class="contact-row" data-testid="contact-row" data-id={c.id}>
          <a href={`#/contacts/${encodeURIComponent(c.id)}`} class="contact-link">
            <span class="contact-name" data-literal>
              {c.name}
            </span>
            {c.tier && (
              <span class={`badge tier-${c.tier}`} data-testid="contact-tier">
                {t(`tiers.name.${c.tier}` as MessageKey)}
              </span>
            )}
            {c.churnRisk && (
              <span class="badge churn" data-testid="contact-churn">
                {t('contacts.churnRisk')}
              </span>
            )}
          </a>
          <div class="contact-ids muted small" data-literal>
            {c.identities.map((i) => i.address).join(' · ')}
          </div>
          <div class="contact-meta small">
            {c.tags.map((tag) => (
              <span class="chip" data-literal>
                {tag}
              </span>
            ))}
            {CONSENT_CHANNELS.map((ch) => (
              <span
                class={`consent-mark consent-${c.marketingConsent[ch]}`}
                title={t('contacts.consentTitle', {
                  channel: t(`channel.${ch}` as MessageKey),
                  status: t(`contacts.consent.${c.marketingConsent[ch]}` as MessageKey),
                })}
                data-testid={`consent-${ch}`}
                data-status={c.marketingConsent[ch]}
              >
                {t(`channel.${ch}` as MessageKey)}{' '}
                {c.marketingConsent[ch] === 'granted'
                  ? '✓'
                  : c.marketingConsent[ch] === 'revoked'
                    ? '✕'
                    : '–'}
              </span>
            ))}
            <span class="muted">
              {c.lastContactAt
                ? t('contacts.lastContact', { when: shortTime(c.lastContactAt) })
                : t('contacts.neverContacted')}
            </span>
          </div>
        </li>
      ))}
    </ul>
  );
}
