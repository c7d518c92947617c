// A titled section of the reports page: loading, the reason it could not load, or its content;
// with an optional CSV export button in its heading.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { downloadFile } from '../download';
import { t } from '../i18n';
import type { Section } from './ReportsData';

export function ExportButton({
  path,
  name,
  testId,
}: {
  path: string;
  name: string;
  testId: string;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await downloadFile(path, name);
    } catch (e) {
      setError(t('reports.exportFailed', { reason: e instanceof Error ? e.message : '' }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="export">
      <button type="button" onClick={run} disabled={busy} data-testid={testId}>
        {t('reports.exportCsv')}
      </button>
      {error && <span class="error">{error}</span>}
    </span>
  );
}

export function Panel<T>({
  title,
  testId,
  state,
  actions,
  children,
}: {
  title: string;
  testId: string;
  state: Section<T> | null;
  actions?: ComponentChildren;
  children: (data: T) => ComponentChildren;
}) {
  return (
    <section class="reports-panel" data-testid={testId}>
      <div class="reports-panel-head">
        <h2>{title}</h2>
        {actions}
      </div>
      {state === null ? (
        <p class="muted">{t('reports.loading')}</p>
      ) : 'error' in state ? (
        <p class="muted">{state.error}</p>
      ) : (
        children(state.data)
      )}
    </section>
  );
}
