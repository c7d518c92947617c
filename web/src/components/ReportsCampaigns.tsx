// Campaigns table on the reports page: one row per campaign and channel with sent/delivered/clicked/replied/cost.
import { t, type MessageKey } from '../i18n';
import type { CampaignStats } from './ReportsData';

export function ReportsCampaigns({
  campaigns,
}: {
  campaigns: Array<{ id: string; name: string; status: string; stats: CampaignStats | null }>;
}) {
  if (!campaigns.length) return <p class="muted">{t('reports.noCampaigns')}</p>;
  return (
    <div class="table-scroll">
      <table class="reports-table" data-testid="campaign-stats">
        <thead>
          <tr>
            <th>{t('reports.col.campaign')}</th>
            <th>{t('reports.col.status')}</th>
            <th>{t('reports.col.channel')}</th>
            <th>{t('reports.col.sent')}</th>
            <th>{t('reports.col.delivered')}</th>
            <th>{t('reports.col.clicked')}</th>
            <th>{t('reports.col.replied')}</th>
            <th>{t('reports.col.cost')}</th>
          </tr>
        </thead>
        <tbody>
          {campaigns.flatMap((c) => {
            const channels = Object.entries(c.stats?.byChannel ?? {});
            if (!channels.length) {
              return [
                <tr key={c.id} data-testid="campaign-stats-row" data-campaign-id={c.id}>
                  <td>{c.name}</td>
                  <td>{t(`campaigns.status.${c.status}` as MessageKey)}</td>
                  <td colSpan={6} class="muted">
                    {c.stats ? t('reports.nothingSent') : t('reports.statsUnavailable')}
                  </td>
                </tr>,
              ];
            }
            return channels.map(([channel, s]) => (
              <tr
                key={`${c.id}:${channel}`}
                data-testid="campaign-stats-row"
                data-campaign-id={c.id}
                data-channel={channel}
              >
                <td>{c.name}</td>
                <td>{t(`campaigns.status.${c.status}` as MessageKey)}</td>
                <td>{channel}</td>
                <td>{s.sent}</td>
                <td>{s.delivered}</td>
                <td>{s.clicked}</td>
                <td>{s.replied}</td>
                <td>{s.cost.toFixed(2)}</td>
              </tr>
            ));
          })}
        </tbody>
      </table>
    </div>
  );
}
