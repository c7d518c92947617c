import { t } from '../i18n';

const SHOWN = 3;

/** A list row's labels: the first few as chips (long ones cut short), then "+n"; a click filters. */
export function RowLabels({ tags, onPick }: { tags: string[]; onPick?: (tag: string) => void }) {
  if (!tags.length) return null;
  const rest = tags.length - SHOWN;
  return (
    <span class="row-labels" data-testid="row-labels">
      {tags.slice(0, SHOWN).map((tag) => (
        <button
          type="button"
          class="row-label"
          title={t('labels.filterBy', { label: tag })}
          data-testid="row-label"
          onClick={(e) => {
            // Inside the row's link: neither open the conversation nor follow the link.
            e.preventDefault();
            e.stopPropagation();
            onPick?.(tag);
          }}
        >
          {tag}
        </button>
      ))}
      {rest > 0 && (
        <span class="row-label more" title={tags.slice(SHOWN).join(t('list.separator'))}>
          +{rest}
        </span>
      )}
    </span>
  );
}

/** The label the list is filtered by, with a way out. */
export function LabelFilter({ tag, onClear }: { tag: string; onClear: () => void }) {
  return (
    <div class="label-filter" data-testid="label-filter">
      <span>{t('labels.filtered', { label: tag })}</span>
      <button
        type="button"
        class="link"
        aria-label={t('labels.clearFilter')}
        onClick={onClear}
        data-testid="label-filter-clear"
      >
        ×
      </button>
    </div>
  );
}

/** The row's checkbox for bulk actions; shift-click picks a range. */
export function RowCheck(p: {
  checked: boolean;
  name: string;
  onToggle: (range: boolean) => void;
}) {
  return (
    <input
      type="checkbox"
      class="row-check"
      checked={p.checked}
      aria-label={t('bulk.pick', { name: p.name })}
      data-testid="row-check"
      onClick={(e) => {
        e.stopPropagation();
        p.onToggle(e.shiftKey);
      }}
    />
  );
}
