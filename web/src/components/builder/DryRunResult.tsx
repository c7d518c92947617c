// A dry run's answer: sends per channel (now, held, digest) as bars, suppressed per reason, the
// A/B split and a sample of customers with their routing reasons in plain words.
import { count } from '../../campaign-format';
import { GroupedBarChart } from '../../charts/Charts';
import { CHANNEL_LABEL, fullTime } from '../../format';
import type { DryRun } from '../../hooks/useDryRun';
import { locale, t, type MessageKey } from '../../i18n';
import type { Channel } from '../../types';

const REASONS = ['noConsent', 'quietHours', 'frequencyCap', 'noChannel', 'contactBudget'] as const;
const channelName = (c: string) => CHANNEL_LABEL[c as Channel] ?? c;

export function DryRunResult({ run }: { run: DryRun }) {
  const channels = Object.entries(run.byChannel).filter(
    ([, c]) => c && c.now + c.held + c.digest > 0,
  ) as Array<[string, { now: number; held: number; digest: number }]>;
  return (
    <div class="dry-run-result" data-testid="dry-run-result">
      <p class="muted small">
        {t('dryRun.at', {
          time: fullTime(run.at),
          recipients: count(run.recipients),
          audience: count(run.audience),
          seconds: (run.tookMs / 1000).toFixed(1),
        })}
      </p>
      {run.stoppedBy && (
        <p class="form-error" role="status" data-testid="dry-run-stopped">
          {run.stoppedBy === 'time'
            ? t('dryRun.stopped.time', {
                seconds: run.limits.seconds,
                recipients: count(run.recipients),
              })
            : t('dryRun.stopped.customers', { customers: count(run.limits.customers) })}
        </p>
      )}
      <div class="stat-tiles">
        {(
          [
            ['dryRun.now', run.sends.now, 'now'],
            ['dryRun.held', run.sends.held, 'held'],
            ['dryRun.digest', run.sends.digest, 'digest'],
          ] as const
        ).map(([label, n, id]) => (
          <div class="stat-tile" data-testid={`dry-run-${id}`} data-value={n}>
            <div class="stat-value">{count(n)}</div>
            <div class="stat-label muted small">{t(label)}</div>
          </div>
        ))}
      </div>
      {run.held.count > 0 && run.held.earliest && run.held.latest && (
        <p class="small" data-testid="dry-run-held-span">
          {t('dryRun.heldSpan', {
            first: fullTime(run.held.earliest),
            last: fullTime(run.held.latest),
          })}
        </p>
      )}
      {channels.length > 0 && (
        <GroupedBarChart
          title={t('dryRun.byChannel')}
          categories={channels.map(([c]) => channelName(c))}
          series={(['now', 'held', 'digest'] as const).map((k) => ({
            name: t(`dryRun.${k}` as MessageKey),
            values: channels.map(([, c]) => c[k]),
          }))}
          format={count}
          integer
          testId="dry-run-chart"
        />
      )}
      <h3 class="small">{t('dryRun.suppressed', { total: count(run.suppressed.total) })}</h3>
      <ul class="dry-run-reasons" data-testid="dry-run-suppressed">
        {REASONS.filter((r) => run.suppressed[r] > 0).map((r) => (
          <li data-testid={`dry-run-reason-${r}`} data-value={run.suppressed[r]}>
            <span>{t(`dryRun.reason.${r}` as MessageKey)}</span>
            <strong>{count(run.suppressed[r])}</strong>
          </li>
        ))}
      </ul>
      {Object.keys(run.variants).length > 1 && (
        <p class="small">
          {t('dryRun.variants', {
            split: Object.entries(run.variants)
              .map(([v, n]) => `${v} ${count(n)}`)
              .join(' · '),
          })}
        </p>
      )}
      <h3 class="small">{t('dryRun.sample')}</h3>
      <div class="dry-run-sample">
        <table data-testid="dry-run-sample">
          <thead>
            <tr>
              <th>{t('dryRun.col.customer')}</th>
              <th>{t('dryRun.col.outcome')}</th>
              <th>{t('dryRun.col.reasons')}</th>
            </tr>
          </thead>
          <tbody>
            {run.sample.map((s) => {
              const lines = s.explanation[locale] ?? [];
              return (
                <tr data-testid="dry-run-sample-row" data-outcome={s.outcome}>
                  <td data-literal>{s.name ?? s.customerId.slice(0, 8)}</td>
                  <td>{outcome(s)}</td>
                  <td>
                    <ul>
                      {lines.length > 0
                        ? lines.map((l) => <li>{l}</li>)
                        : s.reasons.map((l) => (
                            <li lang="en" data-literal>
                              {l}
                            </li>
                          ))}
                    </ul>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function outcome(s: DryRun['sample'][number]): string {
  const channel = s.channel ? channelName(s.channel) : '';
  const time = s.sendAt ? fullTime(s.sendAt) : '';
  if (s.outcome === 'suppressed')
    return t('dryRun.outcome.suppressed', {
      reason: t(`dryRun.reason.${s.suppression ?? 'noChannel'}` as MessageKey),
    });
  return t(`dryRun.outcome.${s.outcome}` as MessageKey, { channel, time });
}
