import { useMemo } from 'preact/hooks';
import { amount, count, percent } from '../campaign-format';
import { GroupedBarChart } from '../charts/Charts';
import { CHANNEL_LABEL } from '../format';
import type { CampaignStats, ChannelResult } from '../hooks/useCampaignResults';
import { t } from '../i18n';
import type { Channel } from '../types';

const label = (channel: string) => CHANNEL_LABEL[channel as Channel] ?? channel;

/** Per channel: the counts in a table (scrolls sideways on a phone) and the rates as a chart. */
export function CampaignChannels({ stats }: { stats: CampaignStats }) {
  const rows = Object.entries(stats.byChannel) as Array<[string, ChannelResult]>;
  const series = useMemo(
    () =>
      (
        [
          ['campaign.rate.delivery', 'deliveryRate'],
          ['campaign.rate.open', 'openRate'],
          ['campaign.rate.click', 'clickRate'],
          ['campaign.rate.reply', 'replyRate'],
        ] as const
      ).map(([key, field]) => ({ name: t(key), values: rows.map(([, c]) => c[field]) })),
    [stats],
  );
  if (rows.length === 0) return <p class="muted">{t('campaign.noSends')}</p>;
  return (
    <section aria-labelledby="campaign-channels-title">
      <h2 id="campaign-channels-title">{t('campaign.byChannel')}</h2>
      <div class="table-scroll">
        <table class="reports-table" data-testid="campaign-channels">
          <thead>
            <tr>
              <th>{t('campaign.channel')}</th>
              <th>{t('campaign.sent')}</th>
              <th>{t('campaign.scheduled')}</th>
              <th>{t('campaign.delivered')}</th>
              <th>{t('campaign.opened')}</th>
              <th>{t('campaign.clicked')}</th>
              <th>{t('campaign.replied')}</th>
              <th>{t('campaign.converted')}</th>
              <th>{t('campaign.revenue')}</th>
              <th>{t('campaign.cost')}</th>
              <th>{t('campaign.roi')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([channel, c]) => (
              <tr data-testid="campaign-channel-row" data-channel={channel}>
                <th scope="row">{label(channel)}</th>
                <td data-testid="cell-sent">{count(c.sent)}</td>
                <td data-testid="cell-scheduled">{count(c.scheduled)}</td>
                <td>{count(c.delivered)}</td>
                <td>{count(c.opened)}</td>
                <td>{count(c.clicked)}</td>
                <td data-testid="cell-replied">{count(c.replied)}</td>
                <td>{count(c.converted)}</td>
                <td>{amount(c.revenue)}</td>
                <td>{amount(c.cost)}</td>
                <td>{c.roi === null ? '–' : percent(c.roi)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <GroupedBarChart
        title={t('campaign.rates')}
        categories={rows.map(([channel]) => label(channel))}
        series={series}
        format={percent}
        max={1}
        testId="campaign-rates-chart"
      />
    </section>
  );
}
