import { useState } from 'preact/hooks';
import { count } from '../campaign-format';
import type { CrisisCampaign } from '../hooks/useCrisisDraft';
import { t, type MessageKey } from '../i18n';

/**
 * The confirmation step of a crisis broadcast: how many it reaches now, on which legal basis,
 * with which template; it sends only once the broadcast's name is typed again (the server asks
 * for the same).
 */
export function CrisisConfirm({
  draft,
  audience,
  busy,
  onBack,
  onSend,
}: {
  draft: CrisisCampaign;
  audience: number | null;
  busy: boolean;
  onBack: () => void;
  onSend: (confirm: string) => void;
}) {
  const [typed, setTyped] = useState('');
  const matches = typed.trim() === draft.name.trim();
  return (
    <form
      class="crisis-confirm"
      data-testid="crisis-confirm"
      onSubmit={(e) => {
        e.preventDefault();
        if (matches) onSend(typed);
      }}
    >
      <h2>{t('crisis.confirmTitle')}</h2>
      <p data-testid="crisis-confirm-reach">
        {t('crisis.confirmReach', { count: audience === null ? '…' : count(audience) })}
      </p>
      {draft.legalBasis && (
        <p>
          {t('crisis.confirmBasis', {
            basis: t(`crisis.basis.${draft.legalBasis}` as MessageKey),
          })}
        </p>
      )}
      <p>{t('crisis.confirmTemplate', { template: draft.template })}</p>
      <label>
        <span>{t('crisis.confirmType', { name: draft.name })}</span>
        <input
          aria-label={t('crisis.confirmInput')}
          value={typed}
          autocomplete="off"
          onInput={(e) => setTyped(e.currentTarget.value)}
          data-testid="crisis-confirm-name"
        />
      </label>
      <div class="crisis-actions">
        <button type="button" onClick={onBack} disabled={busy} data-testid="crisis-back">
          {t('crisis.back')}
        </button>
        <button
          type="submit"
          class="crisis-go"
          disabled={busy || !matches}
          data-testid="crisis-launch"
        >
          {busy ? t('crisis.launching') : t('crisis.launch')}
        </button>
      </div>
    </form>
  );
}
