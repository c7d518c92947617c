import '../campaigns.css';
import '../supervisors.css';
import { useState } from 'preact/hooks';
import { count } from '../campaign-format';
import { actionsFor, useCampaignResults, type AbMetric } from '../hooks/useCampaignResults';
import { t, type MessageKey } from '../i18n';
import { CampaignAb } from './CampaignAb';
import { CampaignChannels } from './CampaignChannels';
import { CampaignTotals } from './CampaignTotals';
import { DryRunStep } from './builder/DryRunStep';
import { CrisisReach } from './CrisisReach';

/** One campaign: status and controls, live progress while it sends, results per channel, A/B. */
export function CampaignResults({ id }: { id: string }) {
  const [metric, setMetric] = useState<AbMetric>('click');
  const { campaign, stats, error, busy, act } = useCampaignResults(id, metric);
  const status = stats?.status ?? campaign?.status;
  const handled = stats ? stats.sent + stats.scheduled + stats.suppressed.total : 0;
  return (
    <main class="page campaign-results" data-testid="campaign-results">
      <a href="#/campaigns" class="back-link" data-testid="campaign-back">
        ← {t('campaign.back')}
      </a>
      {error && (
        <p class="form-error" role="alert" data-testid="campaign-error">
          {/404|not found/i.test(error) ? t('campaign.notFound') : error}
        </p>
      )}
      {!campaign && !error && <p class="muted">{t('campaign.loading')}</p>}
      {campaign && status && (
        <header class="campaign-head">
          <h1 data-testid="campaign-name">{campaign.name}</h1>
          {campaign.kind === 'crisis' && (
            <span class="badge kind-crisis" data-testid="campaign-kind">
              {t('crisis.badge')}
            </span>
          )}
          <span class={`badge status-${status}`} data-testid="campaign-status">
            {t(`campaigns.status.${status}` as MessageKey)}
          </span>
          <p class="muted small">
            <span data-literal>{campaign.topic}</span> ·{' '}
            {t('campaign.meta', {
              purpose: t(`campaigns.purpose.${campaign.purpose}` as MessageKey),
              hours: stats?.replyWindowHours ?? '',
            })}
          </p>
          <div class="campaign-actions">
            {actionsFor(status).map((a) => (
              <button
                type="button"
                class={a === 'cancel' ? 'danger' : ''}
                disabled={busy}
                data-testid={`campaign-${a}`}
                onClick={() => {
                  if (a === 'cancel' && !confirm(t('campaign.cancelConfirm'))) return;
                  void act(a);
                }}
              >
                {t(`campaign.action.${a}` as MessageKey)}
              </button>
            ))}
          </div>
        </header>
      )}
      {status === 'draft' && <DryRunStep id={id} busy={busy} onLaunch={() => void act('launch')} />}
      {stats && (
        <>
          {stats.recipients > 0 && (
            <div class="campaign-progress">
              <div
                class="progress"
                role="progressbar"
                aria-valuemin={0}
                aria-valuemax={stats.recipients}
                aria-valuenow={handled}
              >
                <div
                  class="progress-bar"
                  style={{
                    width: `${Math.min(100, Math.round((handled / stats.recipients) * 100))}%`,
                  }}
                />
              </div>
              <p class="small" data-testid="campaign-progress">
                {t('campaign.progress', {
                  done: count(handled),
                  recipients: count(stats.recipients),
                })}
                {stats.status === 'running' && <span class="muted"> · {t('campaign.live')}</span>}
              </p>
            </div>
          )}
          {campaign?.kind === 'crisis' && (
            <CrisisReach
              id={id}
              legalBasis={campaign.legalBasis}
              confirmedAt={campaign.confirmedAt}
            />
          )}
          <CampaignTotals stats={stats} />
          <CampaignChannels stats={stats} />
          {stats.ab && <CampaignAb ab={stats.ab} metric={metric} onMetric={setMetric} />}
        </>
      )}
    </main>
  );
}
