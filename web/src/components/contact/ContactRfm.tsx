import { fullTime } from '../../format';
import type { ContactRfm as Rfm } from '../../hooks/useContactPage';
import { locale, t, type MessageKey } from '../../i18n';

/** RFM scores, tier and churn risk; a customer not scored yet says so. */
export function ContactRfm({ rfm }: { rfm: Rfm | null }) {
  if (!rfm) return <p class="muted small">{t('contactPage.rfm.notYet')}</p>;
  return (
    <div data-testid="contact-rfm-scores" data-tier={rfm.tier}>
      <p>
        {t('contactPage.rfm.tier')}:{' '}
        <span class="badge tier">{t(`contactPage.tier.${rfm.tier}` as MessageKey)}</span>
      </p>
      <p class="small">
        {t('contactPage.rfm.scores', { r: rfm.scores.r, f: rfm.scores.f, m: rfm.scores.m })}
      </p>
      <p class="small">
        {rfm.recencyDays === null
          ? t('contactPage.rfm.noPurchase')
          : t('contactPage.rfm.details', {
              days: rfm.recencyDays,
              frequency: rfm.frequency,
              monetary: rfm.monetary.toLocaleString(locale),
            })}
      </p>
      <p
        class={`small ${rfm.churnRisk ? 'form-error' : ''}`}
        data-testid="contact-churn"
        data-risk={String(rfm.churnRisk)}
      >
        {rfm.churnRisk
          ? t('contactPage.rfm.churn', {
              recent: rfm.contacts.last30Days,
              baseline: rfm.contacts.baselinePerMonth,
            })
          : t('contactPage.rfm.noChurn')}
      </p>
      <p class="small muted">{t('contactPage.rfm.computed', { time: fullTime(rfm.computedAt) })}</p>
    </div>
  );
}
