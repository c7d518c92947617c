// The CSAT answers of the period, newest first, with their comments; a page at a time.
import { useEffect, useState } from 'preact/hooks';
import { query } from '../api';
import { locale, t } from '../i18n';
import { client, unwrap } from '../api/client';
import { section, type CsatPage, type Section } from './ReportsData';
import { ExportButton, Panel } from './ReportsPanel';

const PAGE_SIZE = 20;

const dateTime = (iso: string) =>
  new Date(iso).toLocaleString(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    hour12: false,
  });

export function ReportsCsat({ period }: { period: { from: string; to: string } }) {
  const [page, setPage] = useState(1);
  const [state, setState] = useState<Section<CsatPage> | null>(null);

  useEffect(() => setPage(1), [period.from, period.to]);
  useEffect(() => {
    let live = true;
    setState(null);
    void section(() =>
      unwrap(
        client.GET('/api/v1/analytics/csat/responses', {
          params: { query: { ...period, page, pageSize: PAGE_SIZE } },
        }),
      ),
    ).then((s) => live && setState(s));
    return () => {
      live = false;
    };
  }, [period.from, period.to, page]);

  return (
    <Panel
      title={t('reports.csatAnswers')}
      testId="csat-answers"
      state={state}
      actions={
        <ExportButton
          path={`/api/v1/analytics/csat/responses.csv${query(period)}`}
          name="csat-responses.csv"
          testId="export-csat"
        />
      }
    >
      {(data) => {
        if (!data.total) return <p class="muted">{t('reports.noRatings')}</p>;
        const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
        return (
          <div>
            <ul class="csat-answers">
              {data.items.map((a) => (
                <li key={a.id} data-testid="csat-answer" data-score={a.score}>
                  <span class={`csat-score score-${a.score}`} title={t('reports.col.score')}>
                    {'★'.repeat(a.score)}
                    <span class="sr-only">{a.score}</span>
                  </span>
                  <div class="csat-body">
                    <p class="csat-comment">{a.comment ?? t('reports.noComment')}</p>
                    <p class="muted">
                      {[a.customerName, a.agentName, a.teamName, dateTime(a.createdAt)]
                        .filter(Boolean)
                        .join(' · ')}
                    </p>
                  </div>
                </li>
              ))}
            </ul>
            <div class="pager">
              <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                {t('reports.prev')}
              </button>
              <span class="muted">{t('reports.page', { page, pages, total: data.total })}</span>
              <button
                type="button"
                disabled={page >= pages}
                onClick={() => setPage(page + 1)}
                data-testid="csat-next"
              >
                {t('reports.next')}
              </button>
            </div>
          </div>
        );
      }}
    </Panel>
  );
}
