import '../builder.css';
import '../crisis.css';
import { fullTime } from '../format';
import { t, type MessageKey } from '../i18n';
import { handledShare, useCampaigns, type CampaignListItem } from '../use-campaigns';
import { getStoredUser } from '../api';
import { CampaignResults } from './CampaignResults';
import { CampaignBuilder } from './builder/CampaignBuilder';
import { CrisisBroadcast } from './CrisisBroadcast';

/**
 * The marketers' landing page: their campaigns, with status and live progress; or one campaign;
 * or (#/campaigns/crisis) the crisis broadcast flow.
 */
export function Campaigns({ campaignId }: { campaignId: string | null }) {
  if (campaignId === 'new') return <CampaignBuilder />;
  if (campaignId === 'crisis') return <CrisisBroadcast />;
  return campaignId ? <CampaignResults id={campaignId} /> : <CampaignList />;
}

function CampaignList() {
  const { items, error } = useCampaigns();
  const role = getStoredUser()?.role;
  return (
    <main class="page campaigns-page" data-testid="campaigns-page">
      <div class="campaigns-head">
        <h1>{t('campaigns.title')}</h1>
        <a href="#/campaigns/new" class="button primary" data-testid="campaign-new">
          {t('builder.new')}
        </a>
        {(role === 'admin' || role === 'supervisor') && (
          <a href="#/campaigns/crisis" class="button crisis-new" data-testid="crisis-new">
            {t('crisis.new')}
          </a>
        )}
      </div>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {items === null && !error && <p class="muted">{t('campaigns.loading')}</p>}
      {items?.length === 0 && (
        <div class="empty-state" data-testid="campaigns-empty">
          <p>{t('campaigns.empty')}</p>
          <p class="muted small">{t('campaigns.emptyHint')}</p>
        </div>
      )}
      {items && items.length > 0 && (
        <ul class="campaign-cards">
          {items.map((c) => (
            <CampaignCard c={c} />
          ))}
        </ul>
      )}
    </main>
  );
}

function CampaignCard({ c }: { c: CampaignListItem }) {
  const share = handledShare(c.progress);
  const when = c.completedAt ?? c.launchedAt ?? c.sendAt ?? c.createdAt;
  return (
    <li class="campaign-card" data-testid="campaign-card" data-status={c.status}>
      <div class="campaign-card-head">
        <a
          href={`#/campaigns/${encodeURIComponent(c.id)}`}
          class="campaign-link"
          title={t('campaign.open', { name: c.name })}
          data-testid="campaign-link"
        >
          <strong>{c.name}</strong>
        </a>
        {c.kind === 'crisis' && (
          <span class="badge kind-crisis" data-testid="campaign-kind">
            {t('crisis.badge')}
          </span>
        )}
        <span class={`badge status-${c.status}`} data-testid="campaign-status">
          {t(`campaigns.status.${c.status}` as MessageKey)}
        </span>
      </div>
      <div class="muted small">
        <span data-literal>{c.topic}</span> · {t(`campaigns.purpose.${c.purpose}` as MessageKey)} ·{' '}
        {fullTime(when)}
      </div>
      {share !== null && (
        <div
          class="progress"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(share * 100)}
        >
          <div class="progress-bar" style={{ width: `${Math.round(share * 100)}%` }} />
        </div>
      )}
      <div class="small" data-testid="campaign-counts">
        {t('campaigns.counts', {
          recipients: c.progress.recipients,
          sent: c.progress.sent,
          suppressed: c.progress.suppressed,
        })}
      </div>
    </li>
  );
}
