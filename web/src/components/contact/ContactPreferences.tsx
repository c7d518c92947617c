import { CHANNEL_LABEL } from '../../format';
import type { ContactCustomer } from '../../hooks/useContactPage';
import { t, type MessageKey } from '../../i18n';
import type { Channel } from '../../types';

type Row = ContactCustomer['preferences']['matrix'][number];

/** One row of the preference matrix in plain words: "About “orders”, when high: SMS, then Email". */
export function preferenceSentence(row: Row): string {
  const topic =
    row.topic === '*'
      ? t('contactPage.pref.anyTopic')
      : t('contactPage.pref.topic', { topic: row.topic });
  const urgency =
    row.urgency === '*'
      ? t('contactPage.pref.anyUrgency')
      : t('contactPage.pref.urgency', {
          urgency: t(`contactPage.urgency.${row.urgency}` as MessageKey),
        });
  const channels = row.channels.length
    ? row.channels.map((c) => CHANNEL_LABEL[c as Channel] ?? c).join(t('contactPage.pref.then'))
    : t('contactPage.pref.noChannel');
  return t('contactPage.pref.row', { topic, urgency, channels });
}

/** The channel matrix, the quiet hours and the time zone they are read in. */
export function ContactPreferences({ customer }: { customer: ContactCustomer }) {
  const { matrix, quietHours } = customer.preferences;
  return (
    <>
      {matrix.length === 0 ? (
        <p class="muted small">{t('contactPage.pref.none')}</p>
      ) : (
        <ul class="plain">
          {matrix.map((row) => (
            <li data-testid="contact-preference">{preferenceSentence(row)}</li>
          ))}
        </ul>
      )}
      <p class="small" data-testid="contact-quiet-hours">
        {quietHours
          ? t('contactPage.quietHours', { start: quietHours.start, end: quietHours.end })
          : t('contactPage.quietHours.none')}
      </p>
      <p class="small muted">{t('contactPage.timezone', { timezone: customer.timezone })}</p>
    </>
  );
}
