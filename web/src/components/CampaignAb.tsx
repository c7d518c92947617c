import { count, percent, pValue } from '../campaign-format';
import type { AbMetric, CampaignStats } from '../hooks/useCampaignResults';
import { t, type MessageKey } from '../i18n';

const METRICS: AbMetric[] = ['click', 'open', 'reply', 'conversion'];

/** The A/B result on the chosen metric: each variant's rate, and a winner only when significant. */
export function CampaignAb({
  ab,
  metric,
  onMetric,
}: {
  ab: NonNullable<CampaignStats['ab']>;
  metric: AbMetric;
  onMetric: (m: AbMetric) => void;
}) {
  const c = ab.comparison;
  return (
    <section class="campaign-ab" aria-labelledby="campaign-ab-title" data-testid="campaign-ab">
      <h2 id="campaign-ab-title">{t('campaign.ab')}</h2>
      <label class="small">
        {t('campaign.ab.metric')}{' '}
        <select
          value={metric}
          data-testid="ab-metric"
          onChange={(e) => onMetric(e.currentTarget.value as AbMetric)}
        >
          {METRICS.map((m) => (
            <option value={m}>{t(`campaign.ab.metric.${m}` as MessageKey)}</option>
          ))}
        </select>
      </label>
      <table class="reports-table">
        <thead>
          <tr>
            <th>{t('campaign.ab.variant')}</th>
            <th>{t('campaign.sent')}</th>
            <th>{t('campaign.ab.successes')}</th>
            <th>{t('campaign.ab.rate')}</th>
          </tr>
        </thead>
        <tbody>
          {ab.variants.map((v) => (
            <tr data-testid="ab-variant" class={ab.winner === v.variant ? 'ab-winner' : ''}>
              <th scope="row" data-literal>
                {v.variant}
              </th>
              <td>{count(v.sent)}</td>
              <td>{count(v.successes)}</td>
              <td>{percent(v.rate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p data-testid="ab-verdict">
        {c === null
          ? t('campaign.ab.tooFew')
          : ab.winner
            ? t('campaign.ab.winner', { variant: ab.winner, p: pValue(c.pValue) })
            : t(c.enough ? 'campaign.ab.notYet' : 'campaign.ab.tooFewToCall', {
                leader: c.leader,
                runnerUp: c.runnerUp,
                p: pValue(c.pValue),
              })}
      </p>
    </section>
  );
}
