import { CHANNEL_LABEL, fullTime, shortTime } from '../../format';
import type { ContactActivity as Activity } from '../../hooks/useContactPage';
import { t, type MessageKey } from '../../i18n';
import type { Channel } from '../../types';
import { ChannelMark } from '../ChannelMark';

/** Messages per channel and direction, the last contacts, the latest few (no text). */
export function ContactActivity({ activity }: { activity: Activity }) {
  if (activity.channels.length === 0)
    return <p class="muted small">{t('contactPage.activity.none')}</p>;
  const never = t('contactPage.activity.never');
  return (
    <>
      <ul class="plain activity-counts">
        {activity.channels.map((c) => (
          <li data-testid="activity-channel" data-channel={c.channel}>
            <ChannelMark channel={c.channel as Channel} />{' '}
            {CHANNEL_LABEL[c.channel as Channel] ?? c.channel}:{' '}
            {t('contactPage.activity.counts', { inbound: c.inbound, outbound: c.outbound })}
          </li>
        ))}
      </ul>
      <p class="small" data-testid="activity-last">
        {t('contactPage.activity.lastIn', { time: fullTime(activity.lastInboundAt) || never })}
        <br />
        {t('contactPage.activity.lastOut', { time: fullTime(activity.lastOutboundAt) || never })}
      </p>
      <h3>{t('contactPage.activity.latest')}</h3>
      <ul class="plain">
        {activity.latest.map((m) => (
          <li class="small" data-testid="activity-message" data-direction={m.direction}>
            <span aria-hidden="true">{m.direction === 'inbound' ? '↙' : '↗'}</span>{' '}
            <ChannelMark channel={m.channel as Channel} />{' '}
            {t(`contactPage.activity.${m.direction}` as MessageKey)}
            {m.purpose && ` · ${t(`campaigns.purpose.${m.purpose}` as MessageKey)}`}
            {m.template && ` · ${t('contactPage.activity.template', { template: m.template })}`}
            {m.direction === 'outbound' && ` · ${t(`delivery.${m.status}` as MessageKey)}`}
            {' · '}
            <time dateTime={m.createdAt}>{shortTime(m.createdAt)}</time>
          </li>
        ))}
      </ul>
    </>
  );
}
