import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { t } from '../i18n';
import { filterCommands, type PaletteCommand } from '../palette-commands';

interface Props {
  commands: PaletteCommand[];
  onClose: () => void;
}

/** Ctrl/Cmd+K: type to filter the commands, arrows to move, Enter to run, Escape to close. */
export function CommandPalette({ commands, onClose }: Props) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const shown = useMemo(() => filterCommands(commands, query), [commands, query]);
  const current = shown[Math.min(active, shown.length - 1)];

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    input.current?.focus();
    // Back where the agent was, unless the command moved focus somewhere (the reply box).
    return () => {
      const now = document.activeElement;
      if (!now || now === document.body) before?.focus?.();
    };
  }, []);
  useEffect(() => setActive(0), [query]);
  useEffect(() => {
    if (current)
      document.getElementById(`palette-${current.id}`)?.scrollIntoView?.({ block: 'nearest' });
  }, [current?.id]);

  const run = (c: PaletteCommand | undefined) => {
    if (!c) return;
    onClose();
    c.run();
  };

  return (
    <div class="overlay" onClick={onClose} data-testid="palette-overlay">
      <div
        class="palette"
        role="dialog"
        aria-modal="true"
        aria-label={t('palette.label')}
        data-testid="command-palette"
        onClick={(e) => e.stopPropagation()}
      >
        <input
          ref={input}
          type="text"
          role="combobox"
          aria-expanded="true"
          aria-controls="palette-list"
          aria-autocomplete="list"
          aria-activedescendant={current ? `palette-${current.id}` : undefined}
          aria-label={t('palette.label')}
          placeholder={t('palette.placeholder')}
          value={query}
          data-testid="palette-input"
          onInput={(e) => setQuery(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              const n = shown.length;
              if (n)
                setActive((i) => (Math.min(i, n - 1) + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
            } else if (e.key === 'Enter') {
              e.preventDefault();
              run(current);
            }
          }}
        />
        <ul id="palette-list" role="listbox" class="palette-list" aria-label={t('palette.label')}>
          {shown.map((c) => (
            <li
              id={`palette-${c.id}`}
              role="option"
              aria-selected={c === current}
              class={c === current ? 'palette-item active' : 'palette-item'}
              data-testid="palette-item"
              data-command={c.id}
              onMouseMove={() => c !== current && setActive(shown.indexOf(c))}
              onClick={() => run(c)}
            >
              <span class="palette-label">{c.label}</span>
              <span class="palette-group">{c.group}</span>
            </li>
          ))}
        </ul>
        {shown.length === 0 && (
          <p class="muted palette-empty" data-testid="palette-empty">
            {t('palette.empty')}
          </p>
        )}
        <p class="muted small palette-hint">{t('palette.hint')}</p>
      </div>
    </div>
  );
}
