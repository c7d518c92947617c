import { CHANNEL_LABEL, fullTime } from '../../format';
import type { ContactConsent } from '../../hooks/useContactPage';
import { t, type MessageKey } from '../../i18n';
import type { Channel } from '../../types';

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** The append-only consent ledger, newest first, each entry with its source and evidence. */
export function ContactConsents({ items }: { items: ContactConsent[] }) {
  if (items.length === 0) return <p class="muted small">{t('contactPage.consents.none')}</p>;
  return (
    <>
      <p class="small muted">{t('contactPage.consents.hint')}</p>
      <ol class="plain consent-ledger">
        {items.map((c) => (
          <li
            class="consent-entry"
            data-testid="consent-entry"
            data-status={c.status}
            data-channel={c.channel}
            data-purpose={c.purpose}
          >
            <div>
              <strong>{CHANNEL_LABEL[c.channel as Channel] ?? c.channel}</strong>
              {' · '}
              {t(`campaigns.purpose.${c.purpose}` as MessageKey)}{' '}
              <span class={`badge ${c.status === 'granted' ? 'ok' : 'danger'}`}>
                {t(`consent.${c.status}` as MessageKey)}
              </span>
            </div>
            <div class="small muted">
              <time dateTime={c.createdAt}>{fullTime(c.createdAt)}</time>
              {' · '}
              {t('contactPage.consent.source', { source: c.source })}
            </div>
            <div class="small" data-testid="consent-evidence">
              {t('contactPage.consent.evidence')}:{' '}
              {c.evidence && Object.keys(c.evidence).length > 0 ? (
                Object.entries(c.evidence).map(([k, v]) => (
                  <span class="evidence-item">
                    {k}: {show(v)}
                  </span>
                ))
              ) : (
                <span class="muted">{t('contactPage.consent.noEvidence')}</span>
              )}
            </div>
          </li>
        ))}
      </ol>
    </>
  );
}
