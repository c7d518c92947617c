import { useState } from 'preact/hooks';
import '../../contact-page.css';
import { useCustomerImport } from '../../hooks/useCustomerImport';
import { fileSize } from '../../format';
import { t } from '../../i18n';
import { ImportResult } from './ImportResult';

/** CSV import in the browser: pick a file, watch it upload and import, see what was not. */
export function ContactImport() {
  const { state, start } = useCustomerImport();
  const [file, setFile] = useState<File | null>(null);
  const busy = state.phase === 'uploading' || state.phase === 'importing';
  return (
    <main class="page contact-page contact-import" data-testid="contact-import">
      <nav class="contact-links small">
        <a href="#/contacts">← {t('import.back')}</a>
      </nav>
      <h1>{t('import.title')}</h1>
      <p class="small muted">{t('import.help')}</p>
      <form
        class="import-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (file) start(file);
        }}
      >
        <label>
          {t('import.file')}
          <input
            type="file"
            accept=".csv,text/csv"
            data-testid="import-file"
            disabled={busy}
            onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
          />
        </label>
        <button type="submit" class="primary" disabled={!file || busy} data-testid="import-start">
          {t('import.start')}
        </button>
      </form>
      {state.phase === 'uploading' && (
        <div data-testid="import-upload">
          <p class="small">
            {t('import.uploading', { sent: fileSize(state.sent), total: fileSize(state.total) })}
          </p>
          <progress
            class="import-bar"
            max={Math.max(state.total, 1)}
            value={state.sent}
            data-testid="import-upload-bar"
          />
        </div>
      )}
      {state.phase === 'error' && (
        <p class="form-error" role="alert" data-testid="import-error">
          {state.message}
        </p>
      )}
      {(state.phase === 'importing' || state.phase === 'done') && (
        <ImportResult record={state.import} />
      )}
    </main>
  );
}
