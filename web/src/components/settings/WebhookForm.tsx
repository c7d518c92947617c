import { useState } from 'preact/hooks';
import type { BodyOf } from '../../api/answers';
import { client, unwrap } from '../../api/client';
import { t } from '../../i18n';
import { useResource } from './use-resource';

/** The event types the server delivers (its catalogue, not a copy of it). */
const loadEventTypes = () => unwrap(client.GET('/api/v1/webhooks/event-types'));

type Body = BodyOf<'/api/v1/webhooks', 'post'>;
type EventType = Body['events'][number];

/** A new subscription: URL, the events it hears, a description. */
export function WebhookForm(p: { busy: boolean; onSave: (b: Body) => void; onCancel: () => void }) {
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<EventType[]>([]);
  const [description, setDescription] = useState('');
  const [missing, setMissing] = useState(false);
  const catalogue = useResource(loadEventTypes);
  const EVENTS: EventType[] = catalogue.data?.types ?? [];
  return (
    <form
      class="settings-form wide"
      data-testid="webhook-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (events.length === 0) return setMissing(true);
        p.onSave({
          url: url.trim(),
          events,
          ...(description.trim() ? { description: description.trim() } : {}),
        });
      }}
    >
      <label class="full">
        {t('webhooks.url')}
        <input
          required
          type="url"
          value={url}
          placeholder="https://"
          onInput={(e) => setUrl(e.currentTarget.value)}
          data-testid="webhook-url"
        />
      </label>
      <fieldset class="full api-key-scopes">
        <legend>{t('webhooks.events')}</legend>
        {EVENTS.map((ev) => (
          <label key={ev} class="checkbox">
            <input
              type="checkbox"
              checked={events.includes(ev)}
              data-testid={`webhook-event-${ev}`}
              onChange={(e) => {
                setMissing(false);
                setEvents(
                  e.currentTarget.checked ? [...events, ev] : events.filter((x) => x !== ev),
                );
              }}
            />{' '}
            <code>{ev}</code>
          </label>
        ))}
      </fieldset>
      {missing && (
        <p class="error full" role="alert">
          {t('webhooks.pickEvent')}
        </p>
      )}
      <label class="full">
        {t('webhooks.description')}
        <input
          maxLength={500}
          value={description}
          onInput={(e) => setDescription(e.currentTarget.value)}
        />
      </label>
      <div class="full settings-row-actions">
        <button type="submit" class="primary" disabled={p.busy} data-testid="webhook-save">
          {t('webhooks.save')}
        </button>
        <button type="button" onClick={p.onCancel}>
          {t('apiKeys.cancel')}
        </button>
      </div>
    </form>
  );
}
