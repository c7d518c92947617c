import { shortTime } from '../format';
import { useCustomerCampaigns } from '../hooks/useCustomerPanelData';
import { t } from '../i18n';
import { ChannelMark } from './ChannelMark';

/** The campaigns this customer received, with what they did with them. */
export function CustomerCampaigns({
  customerId,
  refresh,
}: {
  customerId: string;
  refresh: string;
}) {
  const list = useCustomerCampaigns(customerId, refresh);
  return (
    <section data-testid="customer-campaigns">
      <h4>{t('customer.campaigns')}</h4>
      {list.state === 'loading' && <p class="muted small">{t('common.loading')}</p>}
      {list.state === 'error' && (
        <p class="form-error small" role="alert">
          {list.message}
        </p>
      )}
      {list.state === 'ready' && list.items.length === 0 && (
        <p class="muted small">{t('customer.campaigns.none')}</p>
      )}
      <ul class="plain">
        {list.state === 'ready' &&
          list.items.map((c) => (
            <li data-testid="customer-campaign" data-id={c.campaignId}>
              {c.channel && <ChannelMark channel={c.channel} />} <strong>{c.name}</strong>{' '}
              <span class="small muted">{shortTime(c.sentAt)}</span>{' '}
              <span class="small">
                {c.status === 'sent'
                  ? t('customer.campaigns.sent')
                  : t('customer.campaigns.suppressed')}
                {c.opened && ` · ${t('customer.campaigns.opened')}`}
                {c.clicked && ` · ${t('customer.campaigns.clicked')}`}
              </span>
            </li>
          ))}
      </ul>
    </section>
  );
}
