import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import type { AnswerOf } from '../api/answers';
import { client, unwrap } from '../api/client';

export type ContactCustomer = AnswerOf<'/api/v1/customers/{id}', 'get'>;
export type ContactConsent = AnswerOf<'/api/v1/customers/{id}/consents', 'get'>['items'][number];
export type ContactActivity = AnswerOf<'/api/v1/customers/{id}/activity', 'get'>;
export type ContactRfm = AnswerOf<'/api/v1/analytics/customers/{id}', 'get'>;

export type Load<T> =
  | { state: 'loading' }
  | { state: 'error'; status: number; message: string }
  | { state: 'ready'; value: T };

/** What `load` answers for `key` (a route and a customer); another key's answer is never shown. */
function useLoad<T>(key: string, load: () => Promise<T>): Load<T> {
  const [value, setValue] = useState<{ of: string; answer: Load<T> } | null>(null);
  useEffect(() => {
    let live = true;
    const answer = (a: Load<T>) => live && setValue({ of: key, answer: a });
    load()
      .then((v) => answer({ state: 'ready', value: v }))
      .catch((e: unknown) =>
        answer({
          state: 'error',
          status: e instanceof ApiError ? e.status : 0,
          message: e instanceof Error ? e.message : String(e),
        }),
      );
    return () => {
      live = false;
    };
    // load is a new closure each render; key names what it loads.
  }, [key]);
  return value && value.of === key ? value.answer : { state: 'loading' };
}

const onCustomer = (id: string) => ({ params: { path: { id } } });

export const useContactCustomer = (id: string) =>
  useLoad(`customer:${id}`, () => unwrap(client.GET('/api/v1/customers/{id}', onCustomer(id))));

export const useContactConsents = (id: string) =>
  useLoad(`consents:${id}`, () =>
    unwrap(client.GET('/api/v1/customers/{id}/consents', onCustomer(id))).then((r) => r.items),
  );

export const useContactActivity = (id: string) =>
  useLoad(`activity:${id}`, () =>
    unwrap(client.GET('/api/v1/customers/{id}/activity', onCustomer(id))),
  );

/** The RFM scores; null when they are not computed for this customer yet (404). */
export const useContactRfm = (id: string) =>
  useLoad(`rfm:${id}`, () =>
    unwrap(client.GET('/api/v1/analytics/customers/{id}', onCustomer(id))).catch((e: unknown) => {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }),
  );
