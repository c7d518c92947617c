import { fullTime } from '../../format';
import type { ContactActivity, ContactCustomer } from '../../hooks/useContactPage';
import { t, type MessageKey } from '../../i18n';
import type { Channel } from '../../types';
import { ChannelMark } from '../ChannelMark';

type Proof = ContactActivity['identities'][number];

/** Each address with its delivery state and whether the customer proved it is theirs. */
export function ContactIdentities({
  customer,
  proofs,
}: {
  customer: ContactCustomer;
  proofs: Proof[] | null;
}) {
  if (customer.identities.length === 0)
    return <p class="muted small">{t('contactPage.identities.none')}</p>;
  return (
    <ul class="plain contact-identities">
      {customer.identities.map((i) => {
        const proof = proofs?.find((p) => p.kind === i.kind && p.address === i.address);
        return (
          <li data-testid="contact-identity" data-kind={i.kind}>
            <ChannelMark channel={i.channel as Channel} /> <span class="addr">{i.address}</span>{' '}
            <span class={`badge ${i.status === 'active' ? '' : 'danger'}`}>
              {t(`identity.status.${i.status}` as MessageKey)}
            </span>
            {proofs && (
              <span
                class={`small ${proof?.verifiedBy ? 'ok' : 'muted'}`}
                data-testid="identity-verified"
                data-verified={proof?.verifiedBy ?? 'no'}
              >
                {' · '}
                {proof?.verifiedBy === 'inbound'
                  ? t('contactPage.identity.verifiedInbound', { date: fullTime(proof.verifiedAt) })
                  : proof?.verifiedBy === 'livechat'
                    ? t('contactPage.identity.verifiedLivechat', {
                        date: fullTime(proof.verifiedAt),
                      })
                    : t('contactPage.identity.unverified')}
              </span>
            )}
            {i.statusReason && <div class="small muted">{i.statusReason}</div>}
          </li>
        );
      })}
    </ul>
  );
}
