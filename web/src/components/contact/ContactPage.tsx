import '../../contact-page.css';
import { fullTime } from '../../format';
import {
  useContactActivity,
  useContactConsents,
  useContactCustomer,
  useContactRfm,
} from '../../hooks/useContactPage';
import { t } from '../../i18n';
import { CustomerCampaigns } from '../CustomerCampaigns';
import { ContactActivity } from './ContactActivity';
import { ContactConsents } from './ContactConsents';
import { ContactIdentities } from './ContactIdentities';
import { ContactPreferences } from './ContactPreferences';
import { ContactRfm } from './ContactRfm';
import { Section } from './Section';

/** One customer for marketers: who, what they want, what they agreed to, what they got. */
export function ContactPage({ customerId }: { customerId: string }) {
  const customer = useContactCustomer(customerId);
  const consents = useContactConsents(customerId);
  const activity = useContactActivity(customerId);
  const rfm = useContactRfm(customerId);
  const proofs = activity.state === 'ready' ? activity.value.identities : null;
  return (
    <main class="page contact-page" data-testid="contact-page">
      <nav class="contact-links small">
        <a href="#/contacts">← {t('contactPage.back')}</a>
        <a href="#/contacts/import" data-testid="contact-import-link">
          {t('contactPage.import')}
        </a>
      </nav>
      {customer.state === 'loading' && <p class="muted">{t('common.loading')}</p>}
      {customer.state === 'error' && (
        <p class="form-error" role="alert">
          {customer.status === 404 ? t('contactPage.notFound') : customer.message}
        </p>
      )}
      {customer.state === 'ready' && (
        <>
          <header class="contact-head">
            <h1 data-testid="contact-name">{customer.value.displayName}</h1>
            <p class="small muted">
              {t('contactPage.locale', { locale: customer.value.locale })} ·{' '}
              {t('contactPage.since', { date: fullTime(customer.value.createdAt) })}
            </p>
            {customer.value.tags.length > 0 && (
              <p class="contact-tags">
                {customer.value.tags.map((tag) => (
                  <span class="badge">{tag}</span>
                ))}
              </p>
            )}
          </header>
          <div class="contact-grid">
            <section class="contact-section" data-testid="contact-identities">
              <h2>{t('contactPage.identities')}</h2>
              <ContactIdentities customer={customer.value} proofs={proofs} />
              {Object.keys(customer.value.attributes).length > 0 && (
                <>
                  <h3>{t('contactPage.attributes')}</h3>
                  <dl class="contact-attributes small">
                    {Object.entries(customer.value.attributes).map(([k, v]) => (
                      <>
                        <dt>{k}</dt>
                        <dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd>
                      </>
                    ))}
                  </dl>
                </>
              )}
            </section>
            <section class="contact-section" data-testid="contact-preferences">
              <h2>{t('contactPage.preferences')}</h2>
              <ContactPreferences customer={customer.value} />
            </section>
            <Section id="rfm" title={t('contactPage.rfm')} load={rfm}>
              {(value) => <ContactRfm rfm={value} />}
            </Section>
            <Section id="consents" title={t('contactPage.consents')} load={consents}>
              {(items) => <ContactConsents items={items} />}
            </Section>
            <Section id="activity" title={t('contactPage.activity')} load={activity}>
              {(value) => <ContactActivity activity={value} />}
            </Section>
            <div class="contact-section">
              <CustomerCampaigns customerId={customerId} refresh="" />
            </div>
          </div>
        </>
      )}
    </main>
  );
}
