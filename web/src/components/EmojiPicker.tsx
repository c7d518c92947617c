import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { COMMON_EMOJI } from '../reply-tokens';

/** A button opening a small grid of common emoji; picking one calls onPick. */
export function EmojiPicker({ onPick }: { onPick: (emoji: string) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <span class="emoji-picker">
      <button
        type="button"
        class="icon-button"
        aria-label={t('reply.emoji')}
        title={t('reply.emoji')}
        aria-expanded={open}
        data-testid="emoji-button"
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => setOpen(!open)}
      >
        😊
      </button>
      {open && (
        <div
          class="emoji-grid"
          role="dialog"
          aria-label={t('reply.emoji')}
          data-testid="emoji-grid"
          onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
        >
          {COMMON_EMOJI.map((e) => (
            <button
              type="button"
              key={e}
              onMouseDown={(ev) => ev.preventDefault()}
              onClick={() => {
                onPick(e);
                setOpen(false);
              }}
            >
              {e}
            </button>
          ))}
        </div>
      )}
    </span>
  );
}
