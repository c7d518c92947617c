import { useState } from 'preact/hooks';
import { t } from '../../i18n';
import { loadChecklist } from './settings-api';
import { useResource } from './use-resource';
import '../../settings.css';

const DISMISSED = 'hub.checklist.dismissed';

/** The first-run checklist an admin sees above the inbox until all is set up or it is dismissed. */
export function SetupChecklist() {
  const [dismissed, setDismissed] = useState(() => localStorage.getItem(DISMISSED) === '1');
  if (dismissed) return null;
  return (
    <ChecklistBody
      onDismiss={() => {
        localStorage.setItem(DISMISSED, '1');
        setDismissed(true);
      }}
    />
  );
}

function ChecklistBody({ onDismiss }: { onDismiss: () => void }) {
  const r = useResource(loadChecklist);
  if (!r.data || r.data.complete) return null;
  return (
    <aside class="checklist" data-testid="setup-checklist" aria-label={t('checklist.title')}>
      <div class="checklist-head">
        <strong>{t('checklist.title')}</strong>
        <button type="button" class="link" onClick={onDismiss} data-testid="checklist-dismiss">
          {t('checklist.dismiss')}
        </button>
      </div>
      <p class="muted small">{t('checklist.intro')}</p>
      <ol>
        {r.data.items.map((i) => (
          <li
            class={i.done ? 'done' : ''}
            data-testid={`checklist-${i.key}`}
            data-done={String(i.done)}
          >
            <a href={`#/settings/${i.section}`}>{t(`checklist.item.${i.key}`)}</a>
            {i.done && <span class="ok small"> ✓ {t('checklist.done')}</span>}
          </li>
        ))}
      </ol>
    </aside>
  );
}
