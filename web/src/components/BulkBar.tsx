import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { runBulk, type BulkAction } from '../bulk-actions';
import { AssigneeOptions, assignTarget } from './AssigneeOptions';
import { t, type MessageKey } from '../i18n';
import { snoozePresets } from '../snooze-presets';
import type { Conversation, Priority, User } from '../types';
import type { RowSelection } from '../use-selection';
import { useStaffDirectory } from '../use-staff';

const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'critical'];

interface Props {
  selection: RowSelection;
  me: User | null;
  /** Each conversation the action changed, as the server left it. */
  onChanged: (c: Conversation) => void;
}

/** Actions on the conversations picked in the list; failures are listed, the rest stay done. */
export function BulkBar({ selection, me, onChanged }: Props) {
  const { staff, teams } = useStaffDirectory();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [label, setLabel] = useState('');
  const count = selection.ids.size;
  if (count === 0 && !outcome) return null;

  const run = async (action: BulkAction) => {
    const ids = [...selection.ids];
    if (!ids.length || busy) return;
    setBusy(true);
    setOutcome(null);
    try {
      const results = await runBulk(ids, action);
      for (const r of results) if (r.ok) onChanged(r.conversation);
      const failed = results.filter((r) => !r.ok);
      if (failed.length === 0) selection.clear();
      setOutcome(
        failed.length
          ? t('bulk.partial', {
              done: results.length - failed.length,
              failed: failed.length,
              reason: failed[0].ok ? '' : failed[0].error,
            })
          : t('bulk.done', { count: results.length }),
      );
    } catch (err) {
      setOutcome(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="bulk-bar" role="region" aria-label={t('bulk.region')} data-testid="bulk-bar">
      <span class="bulk-count" data-testid="bulk-count">
        {t('bulk.selected', { count })}
      </span>
      {count > 0 && (
        <>
          <button
            type="button"
            class="primary"
            disabled={busy}
            onClick={() => void run({ type: 'status', status: 'resolved' })}
            data-testid="bulk-resolve"
          >
            {t('actions.resolve')}
          </button>
          <button
            type="button"
            disabled={busy}
            onClick={() => void run({ type: 'status', status: 'pending' })}
            data-testid="bulk-pending"
          >
            {t('actions.pending')}
          </button>
          <select
            aria-label={t('actions.snooze')}
            value=""
            disabled={busy}
            data-testid="bulk-snooze"
            onChange={(e) => {
              const at = e.currentTarget.value;
              if (at) void run({ type: 'status', status: 'snoozed', snoozeUntil: at });
            }}
          >
            <option value="">{t('actions.snooze')}</option>
            {snoozePresets(new Date()).map((p) => (
              <option value={p.at.toISOString()}>{t(`snooze.${p.key}` as MessageKey)}</option>
            ))}
          </select>
          <select
            aria-label={t('actions.assign')}
            value=""
            disabled={busy}
            data-testid="bulk-assign"
            onChange={(e) => {
              if (e.currentTarget.value)
                void run({ type: 'assign', ...assignTarget(e.currentTarget.value) });
            }}
          >
            <option value="">{t('actions.assign')}</option>
            {me && <option value={`agent:${me.id}`}>{t('actions.assignMe')}</option>}
            <option value="none:">{t('actions.unassigned')}</option>
            <AssigneeOptions staff={staff} teams={teams} />
          </select>
          <select
            aria-label={t('actions.priority')}
            value=""
            disabled={busy}
            data-testid="bulk-priority"
            onChange={(e) => {
              const p = e.currentTarget.value as Priority | '';
              if (p) void run({ type: 'priority', priority: p });
            }}
          >
            <option value="">{t('actions.priority')}</option>
            {PRIORITIES.map((p) => (
              <option value={p}>{t(`priority.${p}` as MessageKey)}</option>
            ))}
          </select>
          <form
            class="bulk-label"
            onSubmit={(e) => {
              e.preventDefault();
              const tag = label.trim();
              if (!tag) return;
              setLabel('');
              void run({ type: 'addTags', tags: [tag] });
            }}
          >
            <input
              type="text"
              maxLength={100}
              placeholder={t('labels.add')}
              aria-label={t('labels.add')}
              value={label}
              disabled={busy}
              onInput={(e) => setLabel(e.currentTarget.value)}
              data-testid="bulk-label"
            />
          </form>
          <button
            type="button"
            class="link"
            onClick={() => {
              selection.clear();
              setOutcome(null);
            }}
            data-testid="bulk-clear"
          >
            {t('bulk.clear')}
          </button>
        </>
      )}
      {outcome && (
        <span class="bulk-outcome" role="status" data-testid="bulk-outcome">
          {outcome}
          {count === 0 && (
            <button
              type="button"
              class="link"
              aria-label={t('bulk.dismiss')}
              onClick={() => setOutcome(null)}
            >
              ×
            </button>
          )}
        </span>
      )}
    </div>
  );
}
