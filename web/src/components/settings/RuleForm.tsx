import { useState } from 'preact/hooks';
import { t, type MessageKey } from '../../i18n';
import {
  ACTION_TYPES,
  CONDITION_TYPES,
  EVENTS,
  toAction,
  toCondition,
  type ApiAction,
  type ApiCondition,
  type Row,
  type RuleEvent,
} from './automation-rows';

export interface RuleDraft {
  name: string;
  event: RuleEvent;
  conditions: Row[];
  actions: Row[];
  stopAfter: boolean;
}

export interface RuleSave {
  name: string;
  event: RuleEvent;
  conditions: ApiCondition[];
  actions: ApiAction[];
  stopAfter: boolean;
}

type Team = { id: string; name: string };

/** A rule: name, event, condition rows and action rows (one value each; a team where it takes one). */
export function RuleForm(p: {
  draft: RuleDraft;
  teams: Team[];
  busy: boolean;
  onSave: (r: RuleSave) => void;
  onCancel: () => void;
}) {
  const [d, setD] = useState(p.draft);
  const rows = (kind: 'conditions' | 'actions') => ({
    set: (i: number, r: Partial<Row>) =>
      setD({ ...d, [kind]: d[kind].map((x, j) => (j === i ? { ...x, ...r } : x)) }),
    remove: (i: number) => setD({ ...d, [kind]: d[kind].filter((_, j) => j !== i) }),
  });
  return (
    <form
      class="settings-form wide rule-form"
      data-testid="rule-form"
      onSubmit={(e) => {
        e.preventDefault();
        p.onSave({
          name: d.name.trim(),
          event: d.event,
          conditions: d.conditions.map(toCondition),
          actions: d.actions.map(toAction),
          stopAfter: d.stopAfter,
        });
      }}
    >
      <label>
        {t('automation.name')}
        <input
          required
          maxLength={200}
          value={d.name}
          onInput={(e) => setD({ ...d, name: e.currentTarget.value })}
          data-testid="rule-name"
        />
      </label>
      <label>
        {t('automation.event')}
        <select
          value={d.event}
          onChange={(e) => setD({ ...d, event: e.currentTarget.value as RuleEvent })}
          data-testid="rule-event"
        >
          {EVENTS.map((ev) => (
            <option value={ev}>{t(`automation.event.${ev}` as MessageKey)}</option>
          ))}
        </select>
      </label>
      <RowList
        kind="conditions"
        title={t('automation.conditions')}
        types={CONDITION_TYPES}
        prefix="automation.cond."
        rows={d.conditions}
        teams={p.teams}
        ops={rows('conditions')}
        onAdd={() =>
          setD({ ...d, conditions: [...d.conditions, { type: 'textContains', value: '' }] })
        }
        addLabel={t('automation.addCondition')}
      />
      <RowList
        kind="actions"
        title={t('automation.actions')}
        types={ACTION_TYPES}
        prefix="automation.act."
        rows={d.actions}
        teams={p.teams}
        ops={rows('actions')}
        onAdd={() => setD({ ...d, actions: [...d.actions, { type: 'addLabels', value: '' }] })}
        addLabel={t('automation.addAction')}
      />
      <label class="check">
        <input
          type="checkbox"
          checked={d.stopAfter}
          onChange={(e) => setD({ ...d, stopAfter: e.currentTarget.checked })}
          data-testid="rule-stop-after"
        />
        {t('automation.stopAfter')}
      </label>
      <div class="settings-row-actions">
        <button type="submit" class="primary" disabled={p.busy} data-testid="rule-save">
          {t('automation.save')}
        </button>
        <button type="button" onClick={p.onCancel}>
          {t('automation.cancel')}
        </button>
      </div>
    </form>
  );
}

function RowList(p: {
  kind: 'conditions' | 'actions';
  title: string;
  types: readonly string[];
  prefix: string;
  rows: Row[];
  teams: Team[];
  ops: { set: (i: number, r: Partial<Row>) => void; remove: (i: number) => void };
  onAdd: () => void;
  addLabel: string;
}) {
  const id = p.kind === 'conditions' ? 'cond' : 'act';
  return (
    <fieldset class="rule-rows" data-testid={`rule-${p.kind}`}>
      <legend>{p.title}</legend>
      {p.rows.map((r, i) => (
        <div class="rule-row">
          <select
            aria-label={p.title}
            value={r.type}
            onChange={(e) => p.ops.set(i, { type: e.currentTarget.value, value: '' })}
            data-testid={`${id}-type-${i}`}
          >
            {p.types.map((ty) => (
              <option value={ty}>{t(`${p.prefix}${ty}` as MessageKey)}</option>
            ))}
          </select>
          <RowValue
            row={r}
            teams={p.teams}
            testId={`${id}-value-${i}`}
            set={(value) => p.ops.set(i, { value })}
          />
          <button type="button" onClick={() => p.ops.remove(i)} aria-label={t('automation.remove')}>
            ×
          </button>
        </div>
      ))}
      <button type="button" onClick={p.onAdd} data-testid={`add-${id}`}>
        {p.addLabel}
      </button>
    </fieldset>
  );
}

function RowValue(p: { row: Row; teams: Team[]; testId: string; set: (v: string) => void }) {
  if (p.row.type === 'resolve') return null;
  if (p.row.type === 'team' || p.row.type === 'assign')
    return (
      <select
        aria-label={t('automation.team')}
        value={p.row.value}
        onChange={(e) => p.set(e.currentTarget.value)}
        data-testid={p.testId}
      >
        <option value="">—</option>
        {p.teams.map((tm) => (
          <option value={tm.id}>{tm.name}</option>
        ))}
      </select>
    );
  if (p.row.type === 'businessHours')
    return (
      <select
        value={p.row.value || 'outside'}
        onChange={(e) => p.set(e.currentTarget.value)}
        data-testid={p.testId}
      >
        <option value="inside">{t('automation.inside')}</option>
        <option value="outside">{t('automation.outside')}</option>
      </select>
    );
  return (
    <input
      aria-label={t('automation.value')}
      placeholder={t('automation.valueHint')}
      value={p.row.value}
      onInput={(e) => p.set(e.currentTarget.value)}
      data-testid={p.testId}
    />
  );
}
