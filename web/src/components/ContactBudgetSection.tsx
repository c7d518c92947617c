import { useContactBudget } from '../hooks/useContactBudget';
import { locale, t, type MessageKey } from '../i18n';
import type { Channel, ContactBudget } from '../types';
import { ChannelMark } from './ChannelMark';

const CHANNEL_KEY: Record<Channel, MessageKey> = {
  email: 'channel.email',
  sms: 'channel.sms',
  voice: 'channel.voice',
  wechat: 'channel.wechat',
  livechat: 'channel.livechat',
  whatsapp: 'channel.whatsapp',
};

/** A time in the app's language, in the given IANA time zone (the agent's own if it is not one). */
function timeIn(iso: string, timeZone?: string): string {
  const options: Intl.DateTimeFormatOptions = {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    // 24-hour, like the quiet hours themselves ("22:00–08:00").
    hourCycle: 'h23',
  };
  try {
    return new Date(iso).toLocaleString(locale, { ...options, timeZone });
  } catch {
    return new Date(iso).toLocaleString(locale, options);
  }
}

function Quiet({ quiet }: { quiet: ContactBudget['quietHours'] }) {
  if (!quiet) {
    return (
      <p class="small muted" data-testid="budget-quiet" data-active="none">
        {t('budget.quiet.none')}
      </p>
    );
  }
  return (
    <p class="small" data-testid="budget-quiet" data-active={String(quiet.activeNow)}>
      {t('budget.quiet.hours', { start: quiet.start, end: quiet.end, timezone: quiet.timezone })} ·{' '}
      <span class={quiet.activeNow ? 'bad' : 'muted'}>
        {quiet.activeNow && quiet.until
          ? t('budget.quiet.activeUntil', { until: timeIn(quiet.until, quiet.timezone) })
          : t('budget.quiet.inactive')}
      </span>
    </p>
  );
}

/**
 * The customer's contact budget in the customer panel: marketing left against the caps, the
 * holds that keep marketing back (with their reasons), quiet hours in the customer's time
 * zone, and the channel a service message would take now.
 */
export function ContactBudgetSection({
  customerId,
  refresh,
}: {
  customerId: string;
  refresh: string;
}) {
  const answer = useContactBudget(customerId, refresh);
  if (answer.state !== 'ready') {
    return (
      <section data-testid="contact-budget" data-state={answer.state}>
        <h4>{t('budget.title')}</h4>
        <p class="small muted">
          {t(answer.state === 'loading' ? 'budget.loading' : 'budget.unavailable')}
        </p>
      </section>
    );
  }
  const { marketing: m, quietHours, bestChannelNow: best } = answer.budget;
  return (
    <section data-testid="contact-budget" data-state="ready">
      <h4>{t('budget.title')}</h4>
      <p
        class="small"
        data-testid="budget-remaining"
        data-remaining-today={m.remainingToday}
        data-remaining-week={m.remainingThisWeek}
      >
        {t('budget.remaining', { today: m.remainingToday, week: m.remainingThisWeek })}
        <br />
        <span class="muted">
          {t('budget.sent', {
            today: m.sentToday,
            capDay: m.capPerDay,
            week: m.sentThisWeek,
            capWeek: m.capPerWeek,
          })}
        </span>
      </p>
      <p class="small" data-testid="budget-held" data-held={String(m.held)}>
        <span class={m.held ? 'badge danger' : 'badge ok'}>
          {t(m.held ? 'budget.held' : 'budget.notHeld')}
        </span>
      </p>
      {m.holds.length > 0 && (
        <ul class="plain" data-testid="budget-holds">
          {m.holds.map((h) => (
            <li data-testid="budget-hold" data-kind={h.kind} data-reason={h.reason}>
              {t(`budget.hold.${h.kind}`, { since: h.since ? timeIn(h.since) : '' })}
            </li>
          ))}
        </ul>
      )}
      <Quiet quiet={quietHours} />
      <p class="small" data-testid="budget-best" data-channel={best?.channel ?? 'none'}>
        {t('budget.best')}:{' '}
        {best ? (
          <span data-reasons={best.reasons.join('\n')}>
            <ChannelMark channel={best.channel} /> {t(CHANNEL_KEY[best.channel])}
            {best.address && <span class="addr muted"> {best.address}</span>}
          </span>
        ) : (
          <span class="muted">{t('budget.bestNone')}</span>
        )}
      </p>
    </section>
  );
}
