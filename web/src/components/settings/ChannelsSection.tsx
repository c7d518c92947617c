import { useState } from 'preact/hooks';
import { t } from '../../i18n';
import { loadChannels } from './settings-api';
import type { Health } from './settings-types';
import { SettingsError } from './SettingsError';
import { useResource } from './use-resource';

const tone: Record<Health, string> = { up: 'ok', degraded: 'warn', down: 'bad' };

/** Each channel: live or sandbox, health, circuit, and the webhook URLs to give the provider. */
export function ChannelsSection() {
  const r = useResource(loadChannels);
  if (r.error) return <SettingsError message={r.error} />;
  if (!r.data) return <p class="muted">{t('settings.loading')}</p>;
  return (
    <div>
      <p class="muted small">{t('channels.publicUrl', { url: r.data.publicUrl })}</p>
      {r.data.items.map((c) => (
        <article
          class="settings-card"
          data-testid="channel-card"
          data-channel={c.channel}
          key={c.channel}
        >
          <h2>{t(`channel.${c.channel}`)}</h2>
          <div class="settings-tags">
            <span
              class={c.transport === 'live' ? 'tag ok' : 'tag warn'}
              data-testid="channel-transport"
            >
              {t(`channels.transport.${c.transport}`)}
            </span>
            <span class={`tag ${tone[c.health]}`}>
              {t('channels.health', { state: t(`channels.state.${c.health}`) })}
            </span>
            <span class={`tag ${tone[c.circuit]}`}>
              {t('channels.circuit', { state: t(`channels.state.${c.circuit}`) })}
            </span>
          </div>
          {c.transport === 'sandbox' && <p class="muted small">{t('channels.sandboxHint')}</p>}
          {c.webhooks.length > 0 ? (
            <>
              <h3>{t('channels.webhooks')}</h3>
              <dl class="webhooks">
                {c.webhooks.map((w) => (
                  <div key={w.purpose}>
                    <dt>{t(`channels.webhook.${w.purpose}`)}</dt>
                    <dd>
                      <code data-testid="webhook-url">{w.url}</code> <CopyButton text={w.url} />
                    </dd>
                  </div>
                ))}
              </dl>
            </>
          ) : (
            <p class="muted small">{t('channels.noWebhooks')}</p>
          )}
        </article>
      ))}
    </div>
  );
}

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      class="link"
      onClick={() =>
        void navigator.clipboard
          ?.writeText(text)
          .then(() => setCopied(true))
          .catch(() => undefined)
      }
    >
      {copied ? t('channels.copied') : t('channels.copy')}
    </button>
  );
}
