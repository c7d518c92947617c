import { useState } from 'preact/hooks';
import { downloadFile } from '../../download';
import type { CustomerImport } from '../../hooks/useCustomerImport';
import { t } from '../../i18n';

/** The customer a duplicate row's address belongs to, as the importer names it. */
const OWNER = /already belongs to customer ([0-9a-f-]{36})/;

/** An import's progress bar, its counts, what ended it, and the rows not imported with why. */
export function ImportResult({ record }: { record: CustomerImport }) {
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const notImported = record.duplicates + record.rejected;
  return (
    <section class="import-result" data-testid="import-result" data-status={record.status}>
      <p class="small" aria-live="polite">
        {record.status === 'running' && `${t('import.running')} `}
        <span data-testid="import-progress-text">
          {t('import.progress', { processed: record.processed, total: record.totalRows })}
        </span>
      </p>
      <progress
        class="import-bar"
        max={Math.max(record.totalRows, 1)}
        value={record.processed}
        data-testid="import-progress"
        data-processed={record.processed}
        data-total={record.totalRows}
      />
      {record.status === 'completed' && (
        <p class="ok" role="status">
          {t('import.status.completed')}
        </p>
      )}
      {record.status === 'failed' && (
        <p class="form-error" role="alert">
          {t('import.status.failed', { error: record.error ?? '' })}
        </p>
      )}
      {record.status === 'interrupted' && (
        <p class="form-error" role="alert">
          {t('import.status.interrupted', { processed: record.processed })}
        </p>
      )}
      <dl class="import-counts">
        <div data-testid="import-created">
          <dt>{t('import.created')}</dt>
          <dd>{record.created}</dd>
        </div>
        <div data-testid="import-duplicates">
          <dt>{t('import.duplicates')}</dt>
          <dd>{record.duplicates}</dd>
        </div>
        <div data-testid="import-rejected">
          <dt>{t('import.rejected')}</dt>
          <dd>{record.rejected}</dd>
        </div>
      </dl>
      {record.status !== 'running' && (
        <>
          <h2>{t('import.rows')}</h2>
          {notImported === 0 ? (
            <p class="muted small">{t('import.rows.none')}</p>
          ) : (
            <>
              {notImported > record.rejectedRows.length && (
                <p class="small muted">
                  {t('import.rows.more', {
                    shown: record.rejectedRows.length,
                    count: notImported,
                  })}
                </p>
              )}
              <ul class="plain import-rows">
                {record.rejectedRows.map((r) => (
                  <li
                    data-testid="import-rejected-row"
                    data-line={r.line}
                    data-duplicate={String(r.duplicate)}
                  >
                    <strong>{t('import.line', { line: r.line })}</strong>
                    {r.cells.name && <span class="muted"> · {r.cells.name}</span>}
                    <ul class="small">
                      {r.reasons.map((reason) => {
                        const owner = OWNER.exec(reason)?.[1];
                        return (
                          <li>
                            {reason}
                            {owner && (
                              <>
                                {' '}
                                <a href={`#/contacts/${owner}`}>{t('import.openCustomer')}</a>
                              </>
                            )}
                          </li>
                        );
                      })}
                    </ul>
                  </li>
                ))}
              </ul>
              <button
                type="button"
                data-testid="import-download"
                onClick={() => {
                  setDownloadError(null);
                  downloadFile(
                    `/api/v1/customers/imports/${record.id}/rejected.csv`,
                    'rejected-rows.csv',
                  ).catch((e: unknown) => setDownloadError((e as Error).message));
                }}
              >
                {t('import.download')}
              </button>
              {downloadError && (
                <p class="form-error small" role="alert">
                  {downloadError}
                </p>
              )}
            </>
          )}
        </>
      )}
    </section>
  );
}
