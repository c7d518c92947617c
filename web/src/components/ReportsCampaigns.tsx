// Campaigns table on the reports page: one row per campaign and channel with sent/delivered/clicked/replied/cost.
import type { CampaignStats } from './ReportsData';

export function ReportsCampaigns({
  campaigns,
}: {
  campaigns: Array<{ id: string; name: string; status: string; stats: CampaignStats | null }>;
}) {
  if (!campaigns.length) return <p class="muted">No campaigns yet.</p>;
  return (
    <table class="reports-table" data-testid="campaign-stats">
      <thead>
        <tr>
          <th>Campaign</th>
          <th>Status</th>
          <th>Channel</th>
          <th>Sent</th>
          <th>Delivered</th>
          <th>Clicked</th>
          <th>Replied</th>
          <th>Cost</th>
        </tr>
      </thead>
      <tbody>
        {campaigns.flatMap((c) => {
          const channels = Object.entries(c.stats?.byChannel ?? {});
          if (!channels.length) {
            return [
              <tr key={c.id} data-testid="campaign-stats-row" data-campaign-id={c.id}>
                <td>{c.name}</td>
                <td>{c.status}</td>
                <td colSpan={6} class="muted">
                  {c.stats ? 'nothing sent yet' : 'stats unavailable'}
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
              <td>{c.status}</td>
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
  );
}
