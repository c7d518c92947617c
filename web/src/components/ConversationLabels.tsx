import { useState } from 'preact/hooks';
import { t } from '../i18n';

/** The conversation's labels as chips; add by typing and Enter, remove with ×. */
export function ConversationLabels({
  tags,
  onChange,
}: {
  tags: string[];
  onChange: (tags: string[]) => void;
}) {
  const [draft, setDraft] = useState('');
  const add = () => {
    const label = draft.trim();
    setDraft('');
    if (label && !tags.includes(label)) onChange([...tags, label]);
  };
  return (
    <div class="labels" data-testid="conversation-labels">
      {tags.map((tag) => (
        <span class="label-chip" data-testid="label-chip">
          {tag}
          <button
            type="button"
            class="link"
            aria-label={t('labels.remove', { label: tag })}
            onClick={() => onChange(tags.filter((x) => x !== tag))}
          >
            ×
          </button>
        </span>
      ))}
      <input
        class="label-input"
        type="text"
        maxLength={100}
        placeholder={t('labels.add')}
        aria-label={t('labels.add')}
        value={draft}
        onInput={(e) => setDraft(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            add();
          }
        }}
        data-testid="label-input"
      />
    </div>
  );
}
