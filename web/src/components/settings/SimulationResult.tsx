import { useMemo } from 'preact/hooks';
import { GroupedBarChart } from '../../charts/Charts';
import { CHANNEL_LABEL, fullTime } from '../../format';
import type { Simulation, SimulatedRoute, SimulationSample } from '../../hooks/usePolicySimulation';
import { locale, t } from '../../i18n';
import type { Channel } from '../../types';
import '../../simulator.css';

type Suppression = NonNullable<SimulatedRoute['suppression']>;
const SUPPRESSIONS: Suppression[] = [
  'noConsent',
  'quietHours',
  'frequencyCap',
  'noChannel',
  'contactBudget',
];

const where = (d: string) =>
  d === 'suppressed' ? t('simulator.suppressed') : (CHANNEL_LABEL[d as Channel] ?? d);

/** A route's reasons in the reader's language when the hub can tell them, else as recorded. */
function RouteLines({ route }: { route: SimulatedRoute }) {
  const told = route.explanation?.[locale];
  return (
    <div>
      <strong data-testid="sim-destination">
        {where(route.destination)}
        {route.suppression && ` · ${t(`simulator.suppression.${route.suppression}`)}`}
        {route.delayed &&
          route.sendAt &&
          ` · ${t('simulator.delayedTo', { time: fullTime(route.sendAt) })}`}
      </strong>
      <ul>
        {(told && told.length > 0 ? told : route.reasons).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </div>
  );
}

type Counts = Simulation['current'];
const suppressedOf = (c: Counts) => Object.values(c.suppressed).reduce((n, v) => n + (v ?? 0), 0);

/** Sends per destination today and with the edited values, side by side. */
function DestinationChart({ result }: { result: Simulation }) {
  const { categories, series } = useMemo(() => {
    const destinations = [
      ...new Set([
        ...Object.keys(result.current.byChannel),
        ...Object.keys(result.proposed.byChannel),
      ]),
    ] as Channel[];
    const values = (c: Counts) => [
      ...destinations.map((d) => c.byChannel[d] ?? 0),
      suppressedOf(c),
    ];
    return {
      categories: [...destinations.map(where), t('simulator.suppressed')],
      series: [
        { name: t('simulator.from'), values: values(result.current) },
        { name: t('simulator.to'), values: values(result.proposed) },
      ],
    };
  }, [result]);
  return (
    <GroupedBarChart
      categories={categories}
      series={series}
      format={(v) => String(v)}
      title={t('simulator.moves')}
      testId="sim-chart"
    />
  );
}

function Sample({ s }: { s: SimulationSample }) {
  return (
    <li class="sim-sample" data-testid="sim-sample">
      <div class="small muted">
        {fullTime(s.at)} · {s.topic} · {t(`priority.${s.urgency}`)} ·{' '}
        {t(`simulator.purpose.${s.purpose}`)} ·{' '}
        {s.actual === 'suppressed'
          ? t('simulator.actualSuppressed')
          : t('simulator.actual', { channel: where(s.actual) })}
      </div>
      <div class="sim-sample-routes">
        <div>
          <span class="small muted">{t('simulator.from')}</span>
          <RouteLines route={s.current} />
        </div>
        <div>
          <span class="small muted">{t('simulator.to')}</span>
          <RouteLines route={s.proposed} />
        </div>
      </div>
    </li>
  );
}

/** What the edited (unsaved) routing defaults would change on the window's sends. */
export function SimulationResult({ result }: { result: Simulation }) {
  if (result.total === 0)
    return (
      <section class="sim-result full" data-testid="sim-result">
        <p class="muted">{t('simulator.none')}</p>
      </section>
    );
  const moves = result.matrix.filter((c) => c.from !== c.to);
  const unchanged = result.matrix.filter((c) => c.from === c.to).reduce((n, c) => n + c.count, 0);
  const outcomeRows = SUPPRESSIONS.filter(
    (k) => result.current.suppressed[k] > 0 || result.proposed.suppressed[k] > 0,
  );
  return (
    <section class="sim-result full" data-testid="sim-result" aria-live="polite">
      <h2>{t('simulator.title')}</h2>
      <p data-testid="sim-summary">
        {t(result.window.days === 1 ? 'simulator.summaryOneDay' : 'simulator.summary', {
          total: result.total,
          days: result.window.days,
          moved: result.moved,
          changed: result.changed,
        })}
      </p>
      {result.sampled && (
        <p class="small" data-testid="sim-sampled">
          {t('simulator.sampled', { total: result.total, inWindow: result.inWindow })}
        </p>
      )}
      {result.skipped > 0 && (
        <p class="small muted">{t('simulator.skipped', { n: result.skipped })}</p>
      )}
      <h3>{t('simulator.moves')}</h3>
      <DestinationChart result={result} />
      {moves.length === 0 ? (
        <p class="muted" data-testid="sim-nothing">
          {t('simulator.nothingMoves')}
        </p>
      ) : (
        <div class="sim-table-wrap">
          <table class="sim-table" data-testid="sim-matrix">
            <thead>
              <tr>
                <th>{t('simulator.from')}</th>
                <th>{t('simulator.to')}</th>
                <th>{t('simulator.count')}</th>
              </tr>
            </thead>
            <tbody>
              {moves.map((c) => (
                <tr
                  key={`${c.from}-${c.to}`}
                  data-testid="sim-move"
                  data-from={c.from}
                  data-to={c.to}
                >
                  <td>{where(c.from)}</td>
                  <td>→ {where(c.to)}</td>
                  <td class="num" data-testid="sim-move-count">
                    {c.count}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="small muted">{t('simulator.unchanged', { n: unchanged })}</p>
      {(outcomeRows.length > 0 || result.current.delayed + result.proposed.delayed > 0) && (
        <>
          <h3>{t('simulator.outcomes')}</h3>
          <div class="sim-table-wrap">
            <table class="sim-table" data-testid="sim-outcomes">
              <thead>
                <tr>
                  <th>{t('simulator.reason')}</th>
                  <th>{t('simulator.from')}</th>
                  <th>{t('simulator.to')}</th>
                </tr>
              </thead>
              <tbody>
                {outcomeRows.map((k) => (
                  <tr key={k} data-testid="sim-outcome" data-reason={k}>
                    <td>{t(`simulator.suppression.${k}`)}</td>
                    <td class="num">{result.current.suppressed[k]}</td>
                    <td class="num" data-testid="sim-outcome-proposed">
                      {result.proposed.suppressed[k]}
                    </td>
                  </tr>
                ))}
                <tr data-testid="sim-outcome" data-reason="delayed">
                  <td>{t('simulator.delayed')}</td>
                  <td class="num">{result.current.delayed}</td>
                  <td class="num">{result.proposed.delayed}</td>
                </tr>
              </tbody>
            </table>
          </div>
        </>
      )}
      {result.sample.length > 0 && (
        <>
          <h3>{t('simulator.examples')}</h3>
          <ul class="sim-samples">
            {result.sample.map((s, i) => (
              <Sample key={`${s.messageId ?? ''}-${i}`} s={s} />
            ))}
          </ul>
        </>
      )}
      {result.differFromActual.current > 0 && (
        <p class="small muted" data-testid="sim-differ">
          {t('simulator.differ', { n: result.differFromActual.current })}
        </p>
      )}
    </section>
  );
}
