// Reports page (#/reports): service KPIs by channel, CSAT trend, RFM tiers and campaign stats, charts drawn in SVG.
import { useEffect, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { responseTime } from '../chart-axis';
import { ReportsCampaigns } from './ReportsCampaigns';
import { BarChart, LineChart } from './ReportsCharts';
import {
  api,
  loadCampaigns,
  section,
  type CampaignStats,
  type CsatWeek,
  type Section,
  type ServiceGroup,
  type TierRow,
} from './ReportsData';

type Campaigns = Array<{ id: string; name: string; status: string; stats: CampaignStats | null }>;

function Panel<T>({
  title,
  testId,
  state,
  children,
}: {
  title: string;
  testId: string;
  state: Section<T> | null;
  children: (data: T) => ComponentChildren;
}) {
  return (
    <section class="reports-panel" data-testid={testId}>
      <h2>{title}</h2>
      {state === null ? (
        <p class="muted">Loading…</p>
      ) : 'error' in state ? (
        <p class="muted">{state.error}</p>
      ) : (
        children(state.data)
      )}
    </section>
  );
}

const percent = (v: number) => `${Math.round(v * 100)}%`;

export function Reports() {
  const [service, setService] = useState<Section<ServiceGroup[]> | null>(null);
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
        (await api<{ groups: ServiceGroup[] }>('GET', '/api/v1/analytics/service?by=channel'))
          .groups,
    ).then(set(setService));
    void section(
      async () => (await api<{ weeks: CsatWeek[] }>('GET', '/api/v1/analytics/csat?weeks=8')).weeks,
    ).then(set(setCsat));
    void section(
      async () => (await api<{ tiers: TierRow[] }>('GET', '/api/v1/analytics/rfm/tiers')).tiers,
    ).then(set(setTiers));
    void section(loadCampaigns).then(set(setCampaigns));
    return () => {
      live = false;
    };
  }, []);

  return (
    <main class="reports" data-testid="reports-page">
      <h1>Reports</h1>
      <div class="reports-grid">
        <Panel title="Service by channel (last 30 days)" testId="chart-service" state={service}>
          {(groups) =>
            groups.length ? (
              <div class="reports-pair">
                <div>
                  <h3>Average first response</h3>
                  <BarChart
                    title="Average first-response time by channel"
                    format={responseTime}
                    data={groups.map((g) => ({
                      label: g.key,
                      value: g.firstResponseSeconds.avg,
                    }))}
                  />
                </div>
                <div>
                  <h3>Resolution rate</h3>
                  <BarChart
                    title="Resolution rate by channel"
                    format={percent}
                    color="#2f8f5b"
                    data={groups.map((g) => ({ label: g.key, value: g.resolutionRate }))}
                  />
                </div>
              </div>
            ) : (
              <p class="muted">No conversations in this period.</p>
            )
          }
        </Panel>
        <Panel title="CSAT (last 8 weeks)" testId="chart-csat" state={csat}>
          {(weeks) =>
            weeks.length ? (
              <LineChart
                title="Average CSAT per week"
                max={5}
                format={(v) => v.toFixed(1)}
                data={weeks.map((w) => ({ label: w.week, value: w.average }))}
              />
            ) : (
              <p class="muted">No ratings in this period.</p>
            )
          }
        </Panel>
        <Panel title="Customers by RFM tier" testId="chart-tiers" state={tiers}>
          {(rows) =>
            rows.length ? (
              <BarChart
                title="Customers per RFM tier"
                format={(v) => String(Math.round(v))}
                color="#8a5cb8"
                data={rows.map((t) => ({ label: t.tier, value: t.customers }))}
              />
            ) : (
              <p class="muted">No tiers yet: they are computed from customers' messages.</p>
            )
          }
        </Panel>
      </div>
      <Panel title="Campaigns" testId="campaigns-report" state={campaigns}>
        {(items) => <ReportsCampaigns campaigns={items} />}
      </Panel>
    </main>
  );
}
