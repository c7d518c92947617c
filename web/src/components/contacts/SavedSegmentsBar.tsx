// The saved segments picker: load one into the filters, rename or delete it, save the filters as one.
import { useState } from 'preact/hooks';
import { t } from '../../i18n';
import type { SavedSegment } from '../../hooks/useSavedSegments';
import type { useSavedSegments } from '../../hooks/useSavedSegments';
import type { Segment } from './segment-draft';

interface Props {
  saved: ReturnType<typeof useSavedSegments>;
  selectedId: string | null;
  onPick: (s: SavedSegment | null) => void;
  current: Segment;
}

export function SavedSegmentsBar({ saved, selectedId, onPick, current }: Props) {
  const [mode, setMode] = useState<'idle' | 'save' | 'rename'>('idle');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const selected = saved.items?.find((s) => s.id === selectedId) ?? null;

  const run = async (work: () => Promise<void>) => {
    try {
      await work();
      setMode('idle');
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const submit = (e: Event) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    void run(async () => {
      if (mode === 'rename' && selected) await saved.rename(selected.id, trimmed);
      else onPick(await saved.create(trimmed, current));
    });
  };

  return (
    <div class="saved-segments" data-testid="saved-segments">
      <label class="filter-field">
        <span>{t('contacts.saved.label')}</span>
        <select
          value={selectedId ?? ''}
          onChange={(e) => onPick(saved.items?.find((s) => s.id === e.currentTarget.value) ?? null)}
          data-testid="saved-segment-picker"
        >
          <option value="">{t('contacts.saved.none')}</option>
          {(saved.items ?? []).map((s) => (
            <option value={s.id}>{s.name}</option>
          ))}
        </select>
      </label>
      <div class="saved-actions">
        <button
          type="button"
          onClick={() => {
            setName('');
            setMode('save');
          }}
          data-testid="save-segment"
        >
          {t('contacts.saved.saveAs')}
        </button>
        {selected && (
          <>
            <button
              type="button"
              onClick={() => void run(() => saved.update(selected.id, current))}
              data-testid="update-segment"
            >
              {t('contacts.saved.update')}
            </button>
            <button
              type="button"
              onClick={() => {
                setName(selected.name);
                setMode('rename');
              }}
              data-testid="rename-segment"
            >
              {t('contacts.saved.rename')}
            </button>
            <button
              type="button"
              class="danger"
              onClick={() => {
                if (!confirm(t('contacts.saved.deleteConfirm', { name: selected.name }))) return;
                void run(async () => {
                  await saved.remove(selected.id);
                  onPick(null);
                });
              }}
              data-testid="delete-segment"
            >
              {t('contacts.saved.delete')}
            </button>
          </>
        )}
      </div>
      {mode !== 'idle' && (
        <form class="saved-name-form" onSubmit={submit}>
          <input
            type="text"
            value={name}
            maxLength={120}
            placeholder={t('contacts.saved.namePlaceholder')}
            aria-label={t('contacts.saved.namePlaceholder')}
            onInput={(e) => setName(e.currentTarget.value)}
            data-testid="segment-name"
            autoFocus
          />
          <button type="submit" class="primary" data-testid="segment-name-submit">
            {mode === 'rename' ? t('contacts.saved.rename') : t('contacts.saved.save')}
          </button>
          <button type="button" class="link" onClick={() => setMode('idle')}>
            {t('contacts.saved.cancel')}
          </button>
        </form>
      )}
      {(error || saved.error) && (
        <p class="form-error" role="alert" data-testid="saved-segment-error">
          {error ?? saved.error}
        </p>
      )}
    </div>
  );
}
