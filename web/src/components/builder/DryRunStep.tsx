// A draft campaign's last step: the dry run, then the launch, confirmed with the dry run's totals.
import { useState } from 'preact/hooks';
import { count } from '../../campaign-format';
import { useDryRun } from '../../hooks/useDryRun';
import { t } from '../../i18n';
import { DryRunResult } from './DryRunResult';

export function DryRunStep({
  id,
  busy,
  onLaunch,
}: {
  id: string;
  busy: boolean;
  onLaunch: () => void;
}) {
  const { result, running, error, run } = useDryRun(id);
  const [confirming, setConfirming] = useState(false);
  return (
    <section class="dry-run" data-testid="dry-run">
      <h2>{t('dryRun.title')}</h2>
      <p class="muted small">{t('dryRun.hint')}</p>
      <div class="campaign-actions">
        <button
          type="button"
          disabled={running}
          data-testid="dry-run-start"
          onClick={() => {
            setConfirming(false);
            void run();
          }}
        >
          {running ? t('dryRun.running') : result ? t('dryRun.again') : t('dryRun.run')}
        </button>
        <button
          type="button"
          class="primary"
          disabled={!result || running || busy}
          title={result ? undefined : t('dryRun.launchFirst')}
          data-testid="campaign-launch"
          onClick={() => setConfirming(true)}
        >
          {t('dryRun.launch')}
        </button>
      </div>
      {!result && !running && <p class="muted small">{t('dryRun.launchFirst')}</p>}
      {error && (
        <p class="form-error" role="alert" data-testid="dry-run-error">
          {t('dryRun.failed', { error })}
        </p>
      )}
      {confirming && result && (
        <div class="dry-run-confirm" role="alertdialog" data-testid="launch-confirm">
          <p>
            {t('dryRun.confirm', {
              recipients: count(result.recipients),
              now: count(result.sends.now),
              held: count(result.sends.held),
              digest: count(result.sends.digest),
              suppressed: count(result.suppressed.total),
            })}
          </p>
          <div class="campaign-actions">
            <button
              type="button"
              class="primary"
              disabled={busy}
              data-testid="launch-confirm-yes"
              onClick={() => {
                setConfirming(false);
                onLaunch();
              }}
            >
              {t('dryRun.confirmYes')}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t('dryRun.confirmNo')}
            </button>
          </div>
        </div>
      )}
      {result && <DryRunResult run={result} />}
    </section>
  );
}
