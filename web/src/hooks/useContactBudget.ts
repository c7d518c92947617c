import { useEffect, useState } from 'preact/hooks';
import { client, unwrap } from '../api/client';
import type { ContactBudget } from '../types';

export type ContactBudgetState =
  { state: 'loading' } | { state: 'error' } | { state: 'ready'; budget: ContactBudget };

/**
 * GET /customers/:id/contact-budget, again whenever `refresh` changes (a status change, a
 * reload); another customer's answer is never shown while this one's loads.
 */
export function useContactBudget(customerId: string, refresh: string): ContactBudgetState {
  const [value, setValue] = useState<{ of: string; answer: ContactBudgetState } | null>(null);
  useEffect(() => {
    let live = true;
    const answer = (a: ContactBudgetState) => live && setValue({ of: customerId, answer: a });
    unwrap(
      client.GET('/api/v1/customers/{id}/contact-budget', {
        params: { path: { id: customerId } },
      }),
    )
      .then((budget) => answer({ state: 'ready', budget }))
      .catch(() => answer({ state: 'error' }));
    return () => {
      live = false;
    };
  }, [customerId, refresh]);
  return value && value.of === customerId ? value.answer : { state: 'loading' };
}
