import { useState } from 'preact/hooks';
import { client, unwrap } from '../../api/client';
import { t } from '../../i18n';
import { loadCanned } from './settings-api';
import { SettingsError } from './SettingsError';
import { useAction, useList } from './use-resource';

interface Draft {
  shortCode: string;
  title: string;
  text: string;
}
const EMPTY: Draft = { shortCode: '', title: '', text: '' };

/** Canned responses: create, edit, delete; the shortcut is typed as /code in the reply box. */
export function CannedSection() {
  const canned = useList(loadCanned);
  const { run, busy, error } = useAction(canned.reload);
  const [editing, setEditing] = useState<string | null>(null); // id, or 'new'

  const save = (id: string | null, d: Draft) =>
    run(() =>
      id
        ? unwrap(
            client.PATCH('/api/v1/canned-responses/{id}', {
              params: { path: { id } },
              body: { shortCode: d.shortCode.trim(), title: d.title.trim() || null, text: d.text },
            }),
          )
        : unwrap(
            client.POST('/api/v1/canned-responses', {
              body: {
                shortCode: d.shortCode.trim(),
                ...(d.title.trim() ? { title: d.title.trim() } : {}),
                text: d.text,
              },
            }),
          ),
    ).then((ok) => ok && setEditing(null));

  return (
    <div>
      {editing === 'new' ? (
        <CannedForm
          draft={EMPTY}
          busy={busy}
          onSave={(d) => save(null, d)}
          onCancel={() => setEditing(null)}
        />
      ) : (
        <button
          type="button"
          class="primary"
          onClick={() => setEditing('new')}
          data-testid="canned-new"
        >
          {t('canned.create')}
        </button>
      )}
      <SettingsError message={error ?? canned.error} />
      {canned.data && canned.items.length === 0 && <p class="muted">{t('settings.none')}</p>}
      <ul class="settings-list" data-testid="canned-list">
        {canned.items.map((c) =>
          editing === c.id ? (
            <li class="settings-row" key={c.id}>
              <CannedForm
                draft={{ shortCode: c.shortCode, title: c.title ?? '', text: c.text }}
                busy={busy}
                onSave={(d) => save(c.id, d)}
                onCancel={() => setEditing(null)}
              />
            </li>
          ) : (
            <li class="settings-row" key={c.id} data-testid="canned-row">
              <div class="settings-row-main">
                <code>/{c.shortCode}</code> {c.title && <strong>{c.title}</strong>}
                <p class="settings-text">{c.text}</p>
              </div>
              <div class="settings-row-actions">
                <button type="button" disabled={busy} onClick={() => setEditing(c.id)}>
                  {t('settings.edit')}
                </button>
                <button
                  type="button"
                  disabled={busy}
                  onClick={() =>
                    confirm(t('settings.confirmDelete', { name: `/${c.shortCode}` })) &&
                    void run(() =>
                      unwrap(
                        client.DELETE('/api/v1/canned-responses/{id}', {
                          params: { path: { id: c.id } },
                        }),
                      ),
                    )
                  }
                >
                  {t('settings.delete')}
                </button>
              </div>
            </li>
          ),
        )}
      </ul>
    </div>
  );
}

function CannedForm(p: {
  draft: Draft;
  busy: boolean;
  onSave: (d: Draft) => void;
  onCancel: () => void;
}) {
  const [d, setD] = useState(p.draft);
  return (
    <form
      class="settings-form wide"
      data-testid="canned-form"
      onSubmit={(e) => {
        e.preventDefault();
        p.onSave(d);
      }}
    >
      <label>
        {t('canned.shortCode')}
        <input
          required
          pattern="[A-Za-z0-9_\-]+"
          value={d.shortCode}
          onInput={(e) => setD({ ...d, shortCode: e.currentTarget.value })}
          data-testid="canned-shortcode"
        />
        <span class="muted small">{t('canned.shortCodeHint', { code: d.shortCode || '…' })}</span>
      </label>
      <label>
        {t('canned.titleLabel')}
        <input value={d.title} onInput={(e) => setD({ ...d, title: e.currentTarget.value })} />
      </label>
      <label class="full">
        {t('canned.text')}
        <textarea
          required
          rows={4}
          value={d.text}
          onInput={(e) => setD({ ...d, text: e.currentTarget.value })}
          data-testid="canned-text"
        />
        <span class="muted small">
          {t('canned.variablesHint', { example: '{{customer.name}}' })}
        </span>
      </label>
      <div class="settings-inline">
        <button type="submit" class="primary" disabled={p.busy} data-testid="canned-save">
          {t('settings.save')}
        </button>
        <button type="button" onClick={p.onCancel}>
          {t('settings.cancel')}
        </button>
      </div>
    </form>
  );
}
