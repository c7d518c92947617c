import { useEffect, useRef } from 'preact/hooks';
import { t, type MessageKey } from '../i18n';
import { SHORTCUT_HELP } from '../keyboard-shortcuts';

/** The `?` overlay: every keyboard shortcut and what it does. */
export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  return (
    <div class="overlay" onClick={onClose}>
      <div
        class="palette shortcut-help"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcut-help-title"
        data-testid="shortcut-help"
        onClick={(e) => e.stopPropagation()}
      >
        <h2 id="shortcut-help-title">{t('shortcuts.title')}</h2>
        <dl>
          {SHORTCUT_HELP.map((s) => (
            <div class="shortcut-row">
              <dt>
                {s.keys.map((k) => (
                  <kbd>{k}</kbd>
                ))}
              </dt>
              <dd>{t(`shortcuts.${s.command}` as MessageKey)}</dd>
            </div>
          ))}
        </dl>
        <button type="button" ref={close} onClick={onClose} data-testid="shortcut-help-close">
          {t('shortcuts.close')}
        </button>
      </div>
    </div>
  );
}
