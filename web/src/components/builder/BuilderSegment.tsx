// The builder's segment: a saved segment, or a few simple filters (tags, tier, churn risk), with
// a live count. Kept in this one component so a fuller filter editor can replace it.
import { useEffect, useState } from 'preact/hooks';
import { count as formatCount } from '../../campaign-format';
import { filterSegment, TIERS, type Segment, type Tier } from '../../builder-form';
import type { SavedSegment } from '../../hooks/useBuilderLists';
import { useSegmentCount } from '../../hooks/useSegmentCount';
import { t, type MessageKey } from '../../i18n';

export function BuilderSegment({
  saved,
  onChange,
  error,
}: {
  saved: SavedSegment[] | null;
  /** null: none chosen yet (a saved segment not picked). */
  onChange: (segment: Segment | null) => void;
  error?: string;
}) {
  const [mode, setMode] = useState<'saved' | 'filters'>('filters');
  const [savedId, setSavedId] = useState('');
  const [tags, setTags] = useState('');
  const [tiers, setTiers] = useState<Tier[]>([]);
  const [churn, setChurn] = useState(false);
  const picked = saved?.find((s) => s.id === savedId) ?? null;
  const segment: Segment | null =
    mode === 'saved' ? (picked?.definition ?? null) : filterSegment(tags, tiers, churn);
  const key = JSON.stringify(segment);
  useEffect(() => onChange(segment), [key]);
  const counted = useSegmentCount(segment);
  return (
    <fieldset class="builder-field" data-testid="builder-segment">
      <legend>{t('builder.segment')}</legend>
      <div class="builder-tabs" role="radiogroup">
        {(['filters', 'saved'] as const).map((m) => (
          <label class="check">
            <input
              type="radio"
              name="segment-mode"
              checked={mode === m}
              data-testid={`segment-mode-${m}`}
              onChange={() => setMode(m)}
            />
            {t(m === 'saved' ? 'builder.segment.saved' : 'builder.segment.filters')}
          </label>
        ))}
      </div>
      {mode === 'saved' ? (
        saved && saved.length === 0 ? (
          <p class="muted small">{t('builder.segment.none')}</p>
        ) : (
          <select
            value={savedId}
            data-testid="segment-saved"
            onChange={(e) => setSavedId((e.target as HTMLSelectElement).value)}
          >
            <option value="">{t('builder.segment.pick')}</option>
            {(saved ?? []).map((s) => (
              <option value={s.id}>{s.name}</option>
            ))}
          </select>
        )
      ) : (
        <>
          <label>
            {t('builder.segment.tags')}
            <input
              value={tags}
              data-testid="segment-tags"
              onInput={(e) => setTags((e.target as HTMLInputElement).value)}
            />
          </label>
          <div class="builder-inline">
            <span>{t('builder.segment.tier')}</span>
            {TIERS.map((tier) => (
              <label class="check">
                <input
                  type="checkbox"
                  checked={tiers.includes(tier)}
                  data-testid={`segment-tier-${tier}`}
                  onChange={(e) =>
                    setTiers((now) =>
                      (e.target as HTMLInputElement).checked
                        ? [...now, tier]
                        : now.filter((x) => x !== tier),
                    )
                  }
                />
                {t(`builder.segment.tier.${tier}` as MessageKey)}
              </label>
            ))}
          </div>
          <label class="check">
            <input
              type="checkbox"
              checked={churn}
              data-testid="segment-churn"
              onChange={(e) => setChurn((e.target as HTMLInputElement).checked)}
            />
            {t('builder.segment.churn')}
          </label>
          {segment && Object.keys(segment).length === 0 && (
            <p class="muted small">{t('builder.segment.everyone')}</p>
          )}
        </>
      )}
      <p class="builder-count" aria-live="polite" data-testid="segment-count">
        {counted?.state === 'counting' && <span class="muted">{t('builder.counting')}</span>}
        {counted?.state === 'done' && (
          <strong data-count={counted.count}>
            {t('builder.count', { count: formatCount(counted.count) })}
          </strong>
        )}
        {counted?.state === 'failed' && (
          <span class="form-error">
            {t('builder.countFailed')}: {counted.error}
          </span>
        )}
      </p>
      {error && (
        <p class="form-error" role="alert" data-testid="error-segment">
          {error}
        </p>
      )}
    </fieldset>
  );
}
