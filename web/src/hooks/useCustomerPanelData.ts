import { useEffect, useState } from 'preact/hooks';
import type { AnswerOf, BodyOf } from '../api/answers';
import { client, unwrap } from '../api/client';
import type { Customer } from '../types';

/** What PATCH /customers/:id takes. */
export type CustomerChanges = BodyOf<'/api/v1/customers/{id}', 'patch'>;

export type Loaded<T> =
  { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; items: T[] };

/** A campaign as the customer received it (GET /customers/:id/campaigns). */
export type ReceivedCampaign = AnswerOf<'/api/v1/customers/{id}/campaigns', 'get'>['items'][number];

/** A likely duplicate (GET /customers/:id/duplicates). */
export type DuplicateSuggestion = AnswerOf<
  '/api/v1/customers/{id}/duplicates',
  'get'
>['items'][number];
export type DuplicateReason = DuplicateSuggestion['reasons'][number];

/**
 * `{items}` from `load` (what `key` names: the route and customer), again whenever `refresh`
 * changes; another customer's never shown.
 */
function useItems<T>(key: string, load: () => Promise<{ items: T[] }>, refresh: string): Loaded<T> {
  const [value, setValue] = useState<{ of: string; answer: Loaded<T> } | null>(null);
  useEffect(() => {
    let live = true;
    const answer = (a: Loaded<T>) => live && setValue({ of: key, answer: a });
    load()
      .then((r) => answer({ state: 'ready', items: r.items }))
      .catch((e: unknown) =>
        answer({ state: 'error', message: e instanceof Error ? e.message : String(e) }),
      );
    return () => {
      live = false;
    };
    // load is a new closure each render; key names what it loads.
  }, [key, refresh]);
  return value && value.of === key ? value.answer : { state: 'loading' };
}

const onCustomer = (id: string) => ({ params: { path: { id } } });

/** The customer's conversations the user may see, newest first. */
export function useCustomerConversations(customerId: string, refresh: string) {
  return useItems(
    `conversations:${customerId}`,
    () =>
      unwrap(client.GET('/api/v1/conversations', { params: { query: { customerId, limit: 20 } } })),
    refresh,
  );
}

export function useCustomerCampaigns(customerId: string, refresh: string) {
  return useItems(
    `campaigns:${customerId}`,
    () => unwrap(client.GET('/api/v1/customers/{id}/campaigns', onCustomer(customerId))),
    refresh,
  );
}

export function useCustomerDuplicates(customerId: string, refresh: string) {
  return useItems(
    `duplicates:${customerId}`,
    () => unwrap(client.GET('/api/v1/customers/{id}/duplicates', onCustomer(customerId))),
    refresh,
  );
}

/** PATCH /customers/:id; rejects with the API's message (a 400 names the field). */
export function saveCustomer(id: string, patch: CustomerChanges): Promise<Customer> {
  return unwrap(client.PATCH('/api/v1/customers/{id}', { ...onCustomer(id), body: patch }));
}

/** POST /customers/:id/merge: the duplicate folds into this customer, which is answered. */
export function mergeCustomer(survivorId: string, duplicateId: string): Promise<Customer> {
  return unwrap(
    client.POST('/api/v1/customers/{id}/merge', {
      ...onCustomer(survivorId),
      body: { duplicateId },
    }),
  );
}
