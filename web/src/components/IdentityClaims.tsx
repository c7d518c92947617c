import { useEffect, useState } from 'preact/hooks';
import type { AnswerOf } from '../api/answers';
import { client, unwrap } from '../api/client';
import { shortTime } from '../format';
import { t } from '../i18n';

/** A live-chat visitor's claim (GET /customers/:id/identity-claims). */
type Claim = AnswerOf<'/api/v1/customers/{id}/identity-claims', 'get'>['items'][number];

/**
 * What chat visitors claimed to be, in the customer panel. An unverified claim is only a
 * visitor's word: it is marked so, and one naming this customer's address by another visitor
 * says that too.
 */
export function IdentityClaims({ customerId }: { customerId: string }) {
  const [claims, setClaims] = useState<Claim[]>([]);
  useEffect(() => {
    let live = true;
    setClaims([]);
    unwrap(
      client.GET('/api/v1/customers/{id}/identity-claims', {
        params: { path: { id: customerId } },
      }),
    )
      .then((r) => live && setClaims(r.items))
      .catch(() => live && setClaims([]));
    return () => {
      live = false;
    };
  }, [customerId]);
  if (claims.length === 0) return null;
  return (
    <section>
      <h4>{t('claims.title')}</h4>
      <ul class="plain" data-testid="customer-claims">
        {claims.map((c) => (
          <li
            data-claim-kind={c.kind}
            data-verified={String(c.verified)}
            class={c.verified ? '' : 'muted'}
          >
            <span class="addr">{c.address}</span>{' '}
            <span
              class={`badge ${c.verified ? 'ok' : 'bad'}`}
              data-testid={c.verified ? 'claim-verified' : 'claim-unverified'}
            >
              {t(c.verified ? 'claims.verified' : 'claims.unverified')}
            </span>{' '}
            <span class="small muted">
              {c.customerId !== customerId ? `${t('claims.byOtherVisitor')} · ` : ''}
              {shortTime(c.createdAt)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
