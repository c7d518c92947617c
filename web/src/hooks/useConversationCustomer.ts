// The open conversation's customer and their consents, loaded again on a reload.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { client, unwrap } from '../api/client';
import type { Consent, Customer } from '../types';

export function useConversationCustomer(customerId: string | null, reloadTick: number) {
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [consents, setConsents] = useState<Consent[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setError(null);
    if (!customerId) {
      setCustomer(null);
      setConsents([]);
      return;
    }
    let live = true;
    const onCustomer = { params: { path: { id: customerId } } };
    unwrap(client.GET('/api/v1/customers/{id}', onCustomer))
      .then((c) => live && setCustomer(c))
      .catch(
        (err: unknown) => live && setError(err instanceof ApiError ? err.message : String(err)),
      );
    unwrap(client.GET('/api/v1/customers/{id}/consents', onCustomer))
      .then((r) => live && setConsents(r.items))
      .catch(() => live && setConsents([]));
    return () => {
      live = false;
    };
  }, [customerId, reloadTick]);

  return {
    /** Only this customer's record, never the previous one's while it loads. */
    customer: customer && customer.id === customerId ? customer : null,
    /** As loaded, for the reply box's channel checks. */
    loadedCustomer: customer,
    consents,
    error,
  };
}
