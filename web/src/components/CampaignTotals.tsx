import { amount, count, percent } from '../campaign-format';
import { fullTime } from '../format';
import type { CampaignStats } from '../hooks/useCampaignResults';
import { t, type MessageKey } from '../i18n';

function Tile({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div class="stat-tile" data-testid={testId}>
      <div class="stat-value">{value}</div>
      <div class="stat-label muted small">{label}</div>
    </div>
  );
}

const SUPPRESSIONS = [
  'noConsent',
  'quietHours',
  'frequencyCap',
  'noChannel',
  'contactBudget',
] as const;

/** The campaign's totals: what went, what waits, what came back, and why some were held back. */
export function CampaignTotals({ stats }: { stats: CampaignStats }) {
  const tiles: Array<[MessageKey, string, string]> = [
    ['campaign.recipients', count(stats.recipients), 'total-recipients'],
    ['campaign.sent', count(stats.sent), 'total-sent'],
    ['campaign.scheduled', count(stats.scheduled), 'total-scheduled'],
    ['campaign.delivered', count(stats.delivered), 'total-delivered'],
    ['campaign.opened', count(stats.opened), 'total-opened'],
    ['campaign.clicked', count(stats.clicked), 'total-clicked'],
    ['campaign.replied', count(stats.replied), 'total-replied'],
    ['campaign.unsubscribed', count(stats.unsubscribed), 'total-unsubscribed'],
    ['campaign.converted', count(stats.converted), 'total-converted'],
    ['campaign.revenue', amount(stats.revenue), 'total-revenue'],
    ['campaign.cost', amount(stats.cost), 'total-cost'],
    ['campaign.roi', stats.roi === null ? '–' : percent(stats.roi), 'total-roi'],
  ];
  const minor: Array<[MessageKey, number]> = [
    ['campaign.digested', stats.digested],
    ['campaign.failed', stats.failed],
    ['campaign.unknown', stats.unknown],
    ['campaign.cancelled', stats.cancelled],
  ];
  return (
    <section class="campaign-totals" aria-labelledby="campaign-totals-title">
      <h2 id="campaign-totals-title">{t('campaign.totals')}</h2>
      <div class="stat-tiles">
        {tiles.map(([key, value, testId]) => (
          <Tile label={t(key)} value={value} testId={testId} />
        ))}
      </div>
      {stats.scheduledFirstAt && stats.scheduledLastAt && (
        <p class="small" data-testid="scheduled-span">
          {t('campaign.scheduledSpan', {
            first: fullTime(stats.scheduledFirstAt),
            last: fullTime(stats.scheduledLastAt),
          })}
        </p>
      )}
      <p class="muted small" data-testid="minor-counts">
        {minor
          .filter(([, n]) => n > 0)
          .map(([key, n]) => `${t(key)} ${count(n)}`)
          .join(' · ')}
      </p>
      {stats.suppressed.total > 0 && (
        <p class="muted small" data-testid="suppressed-reasons">
          {t('campaign.suppressed', { total: count(stats.suppressed.total) })}{' '}
          {SUPPRESSIONS.filter((k) => stats.suppressed[k] > 0)
            .map((k) =>
              t(`campaign.suppressed.${k}` as MessageKey, { n: count(stats.suppressed[k]) }),
            )
            .join(t('list.separator'))}
        </p>
      )}
    </section>
  );
}
