// Reports page (#/reports): for a date range, service KPIs by channel, agent and team (by name,
// with CSV export), CSAT answers with comments; the CSAT trend, RFM tiers and campaign stats.
// Charts by Apache ECharts.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { query } from '../api';
import { client, unwrap } from '../api/client';
import { responseTime } from '../chart-axis';
import { BarChart, LineChart } from '../charts/Charts';
import { t, type MessageKey } from '../i18n';
import { apiWindow, lastDays, type DateRange } from '../report-range';
import { ReportsCampaigns } from './ReportsCampaigns';
import { ReportsCsat } from './ReportsCsat';
import '../supervisors.css';
import {
  loadCampaigns,
  section,
  type CampaignStats,
  type CsatWeek,
  type Section,
  type ServiceGroup,
  type TierRow,
} from './ReportsData';
import { percent, ReportsGroups } from './ReportsGroups';
import { ExportButton, Panel } from './ReportsPanel';

type Campaigns = Array<{ id: string; name: string; status: string; stats: CampaignStats | null }>;
type Period = { from: string; to: string };
type By = 'channel' | 'agent' | 'team';

const channelName = (key: string) => {
  const k = `reports.channel.${key}`;
  return k in CHANNEL_KEYS ? t(k as MessageKey) : key;
};
const CHANNEL_KEYS: Record<string, true> = Object.fromEntries(
  ['email', 'sms', 'voice', 'wechat', 'livechat', 'whatsapp', 'unknown'].map((c) => [
    `reports.channel.${c}`,
    true,
  ]),
);

/** Loads a service report for the window whenever it changes. */
function useService(by: By, period: Period | null) {
  const [state, setState] = useState<Section<ServiceGroup[]> | null>(null);
  useEffect(() => {
    if (!period) return;
    let live = true;
    setState(null);
    void section(
      async () =>
        (
          await unwrap(
            client.GET('/api/v1/analytics/service', { params: { query: { by, ...period } } }),
          )
        ).groups,
    ).then((s) => live && setState(s));
    return () => {
      live = false;
    };
  }, [by, period?.from, period?.to]);
  return state;
}

function RangePicker({ range, onChange }: { range: DateRange; onChange: (r: DateRange) => void }) {
  return (
    <fieldset class="range-picker" data-testid="range-picker">
      <legend class="sr-only">{t('reports.range')}</legend>
      <button type="button" onClick={() => onChange(lastDays(7))} data-testid="range-7">
        {t('reports.last7')}
      </button>
      <button type="button" onClick={() => onChange(lastDays(30))} data-testid="range-30">
        {t('reports.last30')}
      </button>
      <label>
        {t('reports.from')}
        <input
          type="date"
          value={range.from}
          max={range.to}
          data-testid="range-from"
          onChange={(e) => onChange({ ...range, from: e.currentTarget.value })}
        />
      </label>
      <label>
        {t('reports.to')}
        <input
          type="date"
          value={range.to}
          min={range.from}
          data-testid="range-to"
          onChange={(e) => onChange({ ...range, to: e.currentTarget.value })}
        />
      </label>
    </fieldset>
  );
}

export function Reports() {
  const [range, setRange] = useState<DateRange>(() => lastDays(30));
  const period = useMemo(() => apiWindow(range), [range.from, range.to]);
  const byChannel = useService('channel', period);
  const byAgent = useService('agent', period);
  const byTeam = useService('team', period);
  const [csat, setCsat] = useState<Section<CsatWeek[]> | null>(null);
  const [tiers, setTiers] = useState<Section<TierRow[]> | null>(null);
  const [campaigns, setCampaigns] = useState<Section<Campaigns> | null>(null);

  useEffect(() => {
    let live = true;
    const set =
      <T,>(setter: (s: Section<T>) => void) =>
      (s: Section<T>) =>
        live && setter(s);
    void section(
      async () =>
        (await unwrap(client.GET('/api/v1/analytics/csat', { params: { query: { weeks: 8 } } })))
          .weeks,
    ).then(set(setCsat));
    void section(async () => (await unwrap(client.GET('/api/v1/analytics/rfm/tiers'))).tiers).then(
      set(setTiers),
    );
    void section(loadCampaigns).then(set(setCampaigns));
    return () => {
      live = false;
    };
  }, []);

  const exportButton = (by: By) =>
    period && (
      <ExportButton
        path={`/api/v1/analytics/service.csv${query({ by, ...period })}`}
        name={`service-${by}.csv`}
        testId={`export-${by}`}
      />
    );

  return (
    <main class="reports" data-testid="reports-page">
      <div class="reports-head">
        <h1>{t('reports.title')}</h1>
        <RangePicker range={range} onChange={setRange} />
      </div>
      {!period && <p class="error">{t('reports.badRange')}</p>}
      <div class="reports-grid">
        <Panel
          title={t('reports.byChannel')}
          testId="chart-service"
          state={byChannel}
          actions={exportButton('channel')}
        >
          {(groups) =>
            groups.length ? (
              <div class="reports-pair">
                <div>
                  <h3>{t('reports.firstResponse')}</h3>
                  <BarChart
                    title={t('reports.firstResponseChart')}
                    format={responseTime}
                    data={groups.map((g) => ({
                      label: channelName(g.key),
                      value: g.firstResponseSeconds.avg,
                    }))}
                  />
                </div>
                <div>
                  <h3>{t('reports.resolutionRate')}</h3>
                  <BarChart
                    title={t('reports.resolutionRateChart')}
                    format={percent}
                    color="#2f8f5b"
                    max={1}
                    data={groups.map((g) => ({
                      label: channelName(g.key),
                      value: g.resolutionRate,
                    }))}
                  />
                </div>
              </div>
            ) : (
              <p class="muted">{t('reports.noConversations')}</p>
            )
          }
        </Panel>
        <Panel
          title={t('reports.byAgent')}
          testId="report-by-agent"
          state={byAgent}
          actions={exportButton('agent')}
        >
          {(groups) => <ReportsGroups by="agent" groups={groups} />}
        </Panel>
        <Panel
          title={t('reports.byTeam')}
          testId="report-by-team"
          state={byTeam}
          actions={exportButton('team')}
        >
          {(groups) => <ReportsGroups by="team" groups={groups} />}
        </Panel>
        {period && <ReportsCsat period={period} />}
        <Panel title={t('reports.csatTrend')} testId="chart-csat" state={csat}>
          {(weeks) =>
            weeks.length ? (
              <LineChart
                title={t('reports.csatTrendChart')}
                max={5}
                format={(v) => v.toFixed(1)}
                data={weeks.map((w) => ({ label: w.week.slice(5), value: w.average }))}
              />
            ) : (
              <p class="muted">{t('reports.noRatings')}</p>
            )
          }
        </Panel>
        <Panel title={t('reports.tiers')} testId="chart-tiers" state={tiers}>
          {(rows) =>
            rows.length ? (
              <BarChart
                title={t('reports.tiersChart')}
                format={(v) => String(Math.round(v))}
                integer
                color="#8a5cb8"
                data={rows.map((r) => ({ label: r.tier, value: r.customers }))}
              />
            ) : (
              <p class="muted">{t('reports.noTiers')}</p>
            )
          }
        </Panel>
      </div>
      <Panel title={t('reports.campaigns')} testId="campaigns-report" state={campaigns}>
        {(items) => <ReportsCampaigns campaigns={items} />}
      </Panel>
    </main>
  );
}
