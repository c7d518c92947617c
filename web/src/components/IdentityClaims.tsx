import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { shortTime } from '../format';
import { t } from '../i18n';

/** A live-chat visitor's claim (GET /customers/:id/identity-claims). */
interface Claim {
  id: string;
  kind: 'email' | 'phone' | 'external';
  address: string;
  name: string | null;
  verified: boolean;
  customerId: string;
  ownerCustomerId: string | null;
  createdAt: string;
}

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
    api<{ items: Claim[] }>('GET', `/api/v1/customers/${customerId}/identity-claims`)
      .then((r) => live && setClaims(r.items ?? []))
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
