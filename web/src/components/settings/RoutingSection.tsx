import { useEffect, useState } from 'preact/hooks';
import { client, unwrap } from '../../api/client';
import { t } from '../../i18n';
import { CHANNEL_LABEL } from '../../format';
import { CHANNELS, type Channel, type Priority } from '../../types';
import { loadRoutingDefaults } from './settings-api';
import type { RoutingDefaults } from './settings-types';
import { SettingsError } from './SettingsError';
import { SimulateControls } from './SimulateControls';
import { SimulationResult } from './SimulationResult';
import { usePolicySimulation } from '../../hooks/usePolicySimulation';
import { useAction, useResource } from './use-resource';

const URGENCIES: Priority[] = ['low', 'normal', 'high', 'critical'];

/** "sms, wechat" -> ['sms', 'wechat']; unknown names are kept for the server to name. */
const parseRanking = (text: string) =>
  text
    .split(/[,，\s]+/)
    .map((s) => s.trim())
    .filter(Boolean) as Channel[];

/** Routing defaults: ranking per urgency, marketing cap, fallback times; stored in settings. */
export function RoutingSection() {
  const r = useResource(loadRoutingDefaults);
  const { run, busy, error } = useAction(r.reload);
  const [draft, setDraft] = useState<RoutingDefaults | null>(null);
  const [rankings, setRankings] = useState<Record<Priority, string>>({
    low: '',
    normal: '',
    high: '',
    critical: '',
  });
  const [saved, setSaved] = useState(false);
  const simulation = usePolicySimulation();
  const [days, setDays] = useState(7);

  useEffect(() => {
    if (!r.data) return;
    setDraft(r.data.defaults);
    setRankings(
      Object.fromEntries(
        URGENCIES.map((u) => [u, r.data!.defaults.defaultRanking[u].join(', ')]),
      ) as Record<Priority, string>,
    );
  }, [r.data]);

  if (r.error) return <SettingsError message={r.error} />;
  if (!r.data || !draft) return <p class="muted">{t('settings.loading')}</p>;
  const num = (v: string) => (v === '' ? 0 : Number(v));
  const setFallback = (k: keyof RoutingDefaults['fallbackSeconds'], v: string) =>
    setDraft({ ...draft, fallbackSeconds: { ...draft.fallbackSeconds, [k]: num(v) } });
  /** The edited values, as Save stores them and Simulate tries them. */
  const edited = (): RoutingDefaults => ({
    ...draft,
    defaultRanking: Object.fromEntries(
      URGENCIES.map((u) => [u, parseRanking(rankings[u])]),
    ) as RoutingDefaults['defaultRanking'],
  });

  return (
    <form
      class="settings-form wide"
      data-testid="routing-form"
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        const body = edited();
        void run(() => unwrap(client.PUT('/api/v1/settings/routing-defaults', { body }))).then(
          setSaved,
        );
      }}
    >
      <p class="muted full">{t('routing.intro')}</p>
      <p class="small full" data-testid="routing-source">
        {t(`routing.source.${r.data.source}`)}
      </p>
      <h2 class="full">{t('routing.ranking')}</h2>
      <p class="muted small full">
        {t('routing.rankingHint')}{' '}
        {CHANNELS.map((c) => (
          <span key={c} class="channel-code">
            <code data-literal>{c}</code> {CHANNEL_LABEL[c]}
          </span>
        ))}
      </p>
      {URGENCIES.map((u) => (
        <label key={u}>
          {t(`priority.${u}`)}
          <input
            value={rankings[u]}
            onInput={(e) => setRankings({ ...rankings, [u]: e.currentTarget.value })}
            data-testid={`ranking-${u}`}
          />
        </label>
      ))}
      <h2 class="full">{t('routing.cap')}</h2>
      <label>
        {t('routing.perDay')}
        <input
          type="number"
          min="0"
          value={draft.frequencyCap.perDay}
          onInput={(e) =>
            setDraft({
              ...draft,
              frequencyCap: { ...draft.frequencyCap, perDay: num(e.currentTarget.value) },
            })
          }
        />
      </label>
      <label>
        {t('routing.perWeek')}
        <input
          type="number"
          min="0"
          value={draft.frequencyCap.perWeek}
          onInput={(e) =>
            setDraft({
              ...draft,
              frequencyCap: { ...draft.frequencyCap, perWeek: num(e.currentTarget.value) },
            })
          }
        />
      </label>
      <h2 class="full">{t('routing.fallback')}</h2>
      {(['normal', 'high', 'critical'] as const).map((u) => (
        <label key={u}>
          {t(`priority.${u}`)}
          <input
            type="number"
            min="0"
            value={draft.fallbackSeconds[u]}
            onInput={(e) => setFallback(u, e.currentTarget.value)}
          />
        </label>
      ))}
      <label>
        {t('routing.criticalRead')}
        <input
          type="number"
          min="0"
          value={draft.fallbackSeconds.criticalRead}
          onInput={(e) => setFallback('criticalRead', e.currentTarget.value)}
        />
      </label>
      <div class="full">
        <SettingsError message={error} />
        {saved && <p class="ok">{t('settings.saved')}</p>}
        {simulation.value.state === 'error' && <SettingsError message={simulation.value.message} />}
      </div>
      <div class="settings-inline full">
        <button type="submit" class="primary" disabled={busy} data-testid="routing-save">
          {t('settings.save')}
        </button>
        <SimulateControls
          days={days}
          setDays={setDays}
          running={simulation.value.state === 'running'}
          onSimulate={() => simulation.run({ days, proposed: edited() })}
        />
        {r.data.source === 'settings' && (
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void run(() => unwrap(client.DELETE('/api/v1/settings/routing-defaults')))
            }
          >
            {t('routing.reset')}
          </button>
        )}
      </div>
      <p class="muted small full">{t('simulator.hint')}</p>
      {simulation.value.state === 'ready' && <SimulationResult result={simulation.value.result} />}
    </form>
  );
}
