import { useState } from 'preact/hooks';
import { client, unwrap } from '../../api/client';
import { t } from '../../i18n';
import { CHANNELS, type Channel, type Priority } from '../../types';
import { loadSlaPolicies } from './settings-api';
import { SettingsError } from './SettingsError';
import { useAction, useList } from './use-resource';

const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'critical'];

const minutes = (seconds: number | null) =>
  seconds === null ? t('sla.noTarget') : t('sla.minutes', { n: Math.round(seconds / 60) });
const seconds = (text: string) => (text.trim() === '' ? null : Math.round(Number(text) * 60));

/** SLA policies: first-response and resolution targets per priority and channel. */
export function SlaSection() {
  const policies = useList(loadSlaPolicies);
  const { run, busy, error } = useAction(policies.reload);
  const [name, setName] = useState('');
  const [priority, setPriority] = useState<Priority | ''>('');
  const [channel, setChannel] = useState<Channel | ''>('');
  const [first, setFirst] = useState('');
  const [resolution, setResolution] = useState('');

  return (
    <div>
      <form
        class="settings-form"
        data-testid="sla-create"
        onSubmit={(e) => {
          e.preventDefault();
          void run(() =>
            unwrap(
              client.POST('/api/v1/sla-policies', {
                body: {
                  name: name.trim(),
                  priority: priority || null,
                  channel: channel || null,
                  firstResponseSeconds: seconds(first),
                  resolutionSeconds: seconds(resolution),
                },
              }),
            ),
          ).then((ok) => ok && setName(''));
        }}
      >
        <h2>{t('sla.create')}</h2>
        <label>
          {t('settings.name')}
          <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          {t('sla.priority')}
          <select value={priority} onChange={(e) => setPriority(e.currentTarget.value as Priority)}>
            <option value="">{t('sla.any')}</option>
            {PRIORITIES.map((p) => (
              <option value={p}>{t(`priority.${p}`)}</option>
            ))}
          </select>
        </label>
        <label>
          {t('sla.channel')}
          <select value={channel} onChange={(e) => setChannel(e.currentTarget.value as Channel)}>
            <option value="">{t('sla.any')}</option>
            {CHANNELS.map((c) => (
              <option value={c}>{t(`channel.${c}`)}</option>
            ))}
          </select>
        </label>
        <label>
          {t('sla.firstResponse')}
          <input
            type="number"
            min="1"
            value={first}
            onInput={(e) => setFirst(e.currentTarget.value)}
          />
        </label>
        <label>
          {t('settings.sla.resolution')}
          <input
            type="number"
            min="1"
            value={resolution}
            onInput={(e) => setResolution(e.currentTarget.value)}
          />
        </label>
        <button type="submit" class="primary" disabled={busy}>
          {t('settings.save')}
        </button>
      </form>
      <SettingsError message={error ?? policies.error} />
      {policies.data && policies.items.length === 0 && <p class="muted">{t('settings.none')}</p>}
      <ul class="settings-list" data-testid="sla-list">
        {policies.items.map((p) => (
          <li class="settings-row" key={p.id}>
            <div class="settings-row-main">
              <strong>{p.name}</strong>
              <div class="settings-tags">
                <span class="tag">{p.priority ? t(`priority.${p.priority}`) : t('sla.any')}</span>
                <span class="tag">{p.channel ? t(`channel.${p.channel}`) : t('sla.any')}</span>
                <span class="muted small">
                  {t('sla.targets', {
                    first: minutes(p.firstResponseSeconds),
                    resolution: minutes(p.resolutionSeconds),
                  })}
                </span>
              </div>
            </div>
            <div class="settings-row-actions">
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  confirm(t('settings.confirmDelete', { name: p.name })) &&
                  void run(() =>
                    unwrap(
                      client.DELETE('/api/v1/sla-policies/{id}', {
                        params: { path: { id: p.id } },
                      }),
                    ),
                  )
                }
              >
                {t('settings.delete')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
