import type { ComponentChildren } from 'preact';

export interface Suggestion {
  key: string;
  label: ComponentChildren;
  hint?: string;
}

interface Props {
  items: Suggestion[];
  active: number;
  label: string;
  onPick: (index: number) => void;
  onHover: (index: number) => void;
}

/** The list under the reply box while an @name or /shortcut is typed. */
export function ReplySuggestions({ items, active, label, onPick, onHover }: Props) {
  return (
    <ul class="reply-suggestions" role="listbox" aria-label={label} data-testid="reply-suggestions">
      {items.map((s, i) => (
        <li
          key={s.key}
          role="option"
          aria-selected={i === active}
          class={i === active ? 'active' : ''}
          onMouseDown={(e) => {
            e.preventDefault(); // keep the textarea's focus and caret
            onPick(i);
          }}
          onMouseEnter={() => onHover(i)}
        >
          <span class="suggestion-label">{s.label}</span>
          {s.hint && <span class="suggestion-hint">{s.hint}</span>}
        </li>
      ))}
    </ul>
  );
}
