import { useState } from 'preact/hooks';
import { getStoredUser } from '../api';
import {
  mergeCustomer,
  useCustomerDuplicates,
  type DuplicateSuggestion,
} from '../hooks/useCustomerPanelData';
import { t, type MessageKey } from '../i18n';
import type { Customer } from '../types';

/** Merging moves identities: admins and supervisors only (src/auth/permissions.ts). */
const canMerge = () => {
  const role = getStoredUser()?.role;
  return role === 'admin' || role === 'supervisor';
};

interface Props {
  customer: Customer;
  refresh: string;
  onMerged: (survivor: Customer) => void;
}

/** Likely duplicates with the reason; a manager merges one into this customer after confirming. */
export function CustomerDuplicates({ customer, refresh, onMerged }: Props) {
  const list = useCustomerDuplicates(customer.id, refresh);
  const [asking, setAsking] = useState<DuplicateSuggestion | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const manager = canMerge();

  const merge = async () => {
    if (!asking) return;
    setBusy(true);
    setError(null);
    try {
      onMerged(await mergeCustomer(customer.id, asking.customer.id));
      setAsking(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  if (list.state === 'ready' && list.items.length === 0) return null;
  return (
    <section data-testid="customer-duplicates">
      <h4>{t('customer.duplicates')}</h4>
      {list.state === 'loading' && <p class="muted small">{t('common.loading')}</p>}
      {list.state === 'error' && (
        <p class="form-error small" role="alert">
          {list.message}
        </p>
      )}
      <ul class="plain">
        {list.state === 'ready' &&
          list.items.map((s) => (
            <li data-testid="customer-duplicate" data-id={s.customer.id}>
              <strong>{s.customer.displayName}</strong>{' '}
              <span class="small muted">
                {s.customer.identities.map((i) => i.address).join(', ')}
              </span>
              <br />
              <span class="small">
                {s.reasons.map((r) => t(`customer.duplicates.${r}` as MessageKey)).join(' · ')}
              </span>{' '}
              {manager ? (
                <button
                  type="button"
                  class="secondary small"
                  data-testid="customer-merge"
                  onClick={() => setAsking(s)}
                >
                  {t('customer.duplicates.merge')}
                </button>
              ) : (
                <span class="small muted">{t('customer.duplicates.managersOnly')}</span>
              )}
            </li>
          ))}
      </ul>
      {asking && (
        <div class="dialog-backdrop">
          <div
            role="dialog"
            aria-modal="true"
            aria-labelledby="merge-title"
            class="dialog"
            data-testid="merge-dialog"
          >
            <h4 id="merge-title">{t('customer.duplicates.confirmTitle')}</h4>
            <p>
              {t('customer.duplicates.confirmText', {
                duplicate: asking.customer.displayName,
                survivor: customer.displayName,
              })}
            </p>
            {error && (
              <p class="form-error" role="alert">
                {error}
              </p>
            )}
            <div class="actions">
              <button
                type="button"
                disabled={busy}
                data-testid="merge-confirm"
                onClick={() => void merge()}
              >
                {t('customer.duplicates.confirm')}
              </button>
              <button type="button" class="secondary" onClick={() => setAsking(null)}>
                {t('customer.edit.cancel')}
              </button>
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
