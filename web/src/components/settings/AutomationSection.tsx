import { useState } from 'preact/hooks';
import { client, unwrap } from '../../api/client';
import type { AnswerOf } from '../../api/answers';
import { fullTime } from '../../format';
import { t, type MessageKey } from '../../i18n';
import { fromAction, fromCondition } from './automation-rows';
import { RuleForm, type RuleDraft, type RuleSave } from './RuleForm';
import { loadRules, loadTeams } from './settings-api';
import { SettingsError } from './SettingsError';
import { useAction, useList } from './use-resource';

type Rule = AnswerOf<'/api/v1/automation-rules', 'get'>['items'][number];

const NEW: RuleDraft = {
  name: '',
  event: 'message.received',
  conditions: [],
  actions: [{ type: 'addLabels', value: '' }],
  stopAfter: false,
};
const draftOf = (r: Rule): RuleDraft => ({
  name: r.name,
  event: r.event,
  conditions: r.conditions.map(fromCondition),
  actions: r.actions.map(fromAction),
  stopAfter: r.stopAfter,
});

/** Automation rules in evaluation order: create, edit, reorder, activate, delete. */
export function AutomationSection() {
  const rules = useList(loadRules);
  const teams = useList(loadTeams);
  const { run, busy, error } = useAction(rules.reload);
  const [editing, setEditing] = useState<string | null>(null); // id, or 'new'
  const patch = (id: string, body: Record<string, unknown>) =>
    unwrap(client.PATCH('/api/v1/automation-rules/{id}', { params: { path: { id } }, body }));
  const save = (id: string | null, r: RuleSave) =>
    run(() =>
      id ? patch(id, { ...r }) : unwrap(client.POST('/api/v1/automation-rules', { body: r })),
    ).then((ok) => ok && setEditing(null));
  /** Swaps a rule with its neighbour; every rule gets its index as position. */
  const move = (from: number, to: number) => {
    const order = [...rules.items];
    [order[from], order[to]] = [order[to], order[from]];
    void run(async () => {
      for (const [i, r] of order.entries())
        if (r.position !== i) await patch(r.id, { position: i });
    });
  };
  const teamList = teams.items.map((tm) => ({ id: tm.id, name: tm.name }));
  return (
    <div>
      <p class="muted">{t('automation.intro')}</p>
      {editing === 'new' ? (
        <RuleForm
          draft={NEW}
          teams={teamList}
          busy={busy}
          onSave={(r) => save(null, r)}
          onCancel={() => setEditing(null)}
        />
      ) : (
        <button
          type="button"
          class="primary"
          onClick={() => setEditing('new')}
          data-testid="automation-new"
        >
          {t('automation.create')}
        </button>
      )}
      <SettingsError message={error ?? rules.error} />
      <ol class="settings-list" data-testid="rule-list">
        {rules.items.map((r, i) =>
          editing === r.id ? (
            <li class="settings-row" key={r.id}>
              <RuleForm
                draft={draftOf(r)}
                teams={teamList}
                busy={busy}
                onSave={(d) => save(r.id, d)}
                onCancel={() => setEditing(null)}
              />
            </li>
          ) : (
            <li class="settings-row" key={r.id} data-testid="rule-row" data-rule-id={r.id}>
              <div class="settings-row-main">
                <strong>{r.name}</strong>{' '}
                <span class="muted small">{t(`automation.event.${r.event}` as MessageKey)}</span>
                <p class="settings-text">
                  {r.conditions
                    .map((c) => t(`automation.cond.${c.type}` as MessageKey))
                    .join(' · ')}
                  {r.conditions.length > 0 && ' → '}
                  {r.actions.map((a) => t(`automation.act.${a.type}` as MessageKey)).join(' · ')}
                </p>
                <p class="muted small" data-testid="rule-fired">
                  {r.lastFiredAt
                    ? t('automation.fired', { count: r.fireCount, at: fullTime(r.lastFiredAt) })
                    : t('automation.neverFired')}
                </p>
              </div>
              <div class="settings-row-actions">
                <label class="check">
                  <input
                    type="checkbox"
                    checked={r.active}
                    disabled={busy}
                    onChange={(e) => {
                      const active = e.currentTarget.checked;
                      void run(() => patch(r.id, { active }));
                    }}
                    data-testid="rule-active"
                  />
                  {t('automation.active')}
                </label>
                <button
                  type="button"
                  disabled={busy || i === 0}
                  onClick={() => move(i, i - 1)}
                  aria-label={t('automation.up')}
                  data-testid="rule-up"
                >
                  ↑
                </button>
                <button
                  type="button"
                  disabled={busy || i === rules.items.length - 1}
                  onClick={() => move(i, i + 1)}
                  aria-label={t('automation.down')}
                  data-testid="rule-down"
                >
                  ↓
                </button>
                <button type="button" disabled={busy} onClick={() => setEditing(r.id)}>
                  {t('settings.edit')}
                </button>
                <button
                  type="button"
                  disabled={busy}
                  onClick={() =>
                    confirm(t('settings.confirmDelete', { name: r.name })) &&
                    void run(() =>
                      unwrap(
                        client.DELETE('/api/v1/automation-rules/{id}', {
                          params: { path: { id: r.id } },
                        }),
                      ),
                    )
                  }
                >
                  {t('settings.delete')}
                </button>
              </div>
            </li>
          ),
        )}
      </ol>
    </div>
  );
}
