// Service KPIs per agent or per team: a table by name (and a bar chart of conversations per agent).
import { responseTime } from '../chart-axis';
import { BarChart } from '../charts/Charts';
import { t } from '../i18n';
import type { ServiceGroup } from './ReportsData';

export const percent = (v: number) => `${Math.round(v * 100)}%`;
const count = (v: number) => String(Math.round(v));

/** The name a group shows: the agent's or team's, else "Unassigned" / "No team". */
export function groupName(by: 'agent' | 'team', g: ServiceGroup): string {
  if (g.name) return g.name;
  return by === 'agent' ? t('reports.unassigned') : t('reports.noTeam');
}

export function ReportsGroups({ by, groups }: { by: 'agent' | 'team'; groups: ServiceGroup[] }) {
  if (!groups.length) return <p class="muted">{t('reports.noConversations')}</p>;
  return (
    <div>
      {by === 'agent' && (
        <BarChart
          title={t('reports.conversationsChart')}
          format={count}
          integer
          color="#3b6ea5"
          data={groups.map((g) => ({ label: groupName(by, g), value: g.conversations }))}
          testId="chart-agents"
        />
      )}
      <div class="table-scroll">
        <table class="reports-table" data-testid={`report-${by}`}>
          <thead>
            <tr>
              <th>{by === 'agent' ? t('reports.col.agent') : t('reports.col.team')}</th>
              <th>{t('reports.col.conversations')}</th>
              <th>{t('reports.col.firstResponse')}</th>
              <th>{t('reports.col.resolution')}</th>
              <th>{t('reports.col.resolutionRate')}</th>
              <th>{t('reports.col.sla')}</th>
              <th>{t('reports.col.csat')}</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={g.key} data-testid={`report-${by}-row`} data-key={g.key}>
                <td>{groupName(by, g)}</td>
                <td>{g.conversations}</td>
                <td>
                  {g.firstResponseSeconds.avg === null
                    ? t('reports.na')
                    : responseTime(g.firstResponseSeconds.avg)}
                </td>
                <td>
                  {g.resolutionSeconds.avg === null
                    ? t('reports.na')
                    : responseTime(g.resolutionSeconds.avg)}
                </td>
                <td>{percent(g.resolutionRate)}</td>
                <td>{g.slaAttainment === null ? t('reports.na') : percent(g.slaAttainment)}</td>
                <td>{g.csat === null ? t('reports.na') : g.csat.toFixed(1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
