import { useState } from 'preact/hooks';
import { fullTime } from '../format';
import { t, type MessageKey } from '../i18n';
import { localInputValue, snoozePresets } from '../snooze-presets';
import type { ConversationActions as Actions } from '../use-conversation-actions';
import { useStaffDirectory } from '../use-staff';
import { AssigneeOptions, assignTarget } from './AssigneeOptions';
import { MacrosMenu } from './MacrosMenu';
import type { ConversationDetail, Priority, User } from '../types';

const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'critical'];

interface Props {
  conversation: ConversationDetail;
  me: User | null;
  actions: Actions;
}

/** The conversation's toolbar: assignment, status and snooze, priority, labels, follow-up. */
export function ConversationActions({ conversation: c, me, actions }: Props) {
  const resolved = c.status === 'resolved';
  const mine = !!me && c.assigneeId === me.id;
  return (
    <div class="conv-actions" data-testid="conversation-actions">
      {!mine && me && (
        <button
          type="button"
          onClick={() => void actions.assign({ agentId: me.id })}
          data-testid="assign-me"
        >
          {c.assigneeId ? t('actions.takeOver') : t('actions.assignMe')}
        </button>
      )}
      <AssignMenu c={c} actions={actions} />
      <select
        aria-label={t('actions.priority')}
        value={c.priority}
        data-testid="priority-select"
        onChange={(e) => void actions.setPriority(e.currentTarget.value as Priority)}
      >
        {PRIORITIES.map((p) => (
          <option value={p}>{t(`priority.${p}` as MessageKey)}</option>
        ))}
      </select>
      {!resolved && c.status !== 'pending' && (
        <button
          type="button"
          onClick={() => void actions.setStatus('pending')}
          data-testid="pending"
        >
          {t('actions.pending')}
        </button>
      )}
      {!resolved && <SnoozeMenu actions={actions} />}
      <FollowUpMenu actions={actions} />
      <MacrosMenu conversationId={c.id} />
      {resolved ? (
        <button type="button" onClick={() => void actions.setStatus('open')} data-testid="reopen">
          {t('actions.reopen')}
        </button>
      ) : (
        <button
          type="button"
          class="primary"
          onClick={() => void actions.setStatus('resolved')}
          data-testid="resolve"
        >
          {t('actions.resolve')}
        </button>
      )}
    </div>
  );
}

function AssignMenu({ c, actions }: { c: ConversationDetail; actions: Actions }) {
  const { staff, teams } = useStaffDirectory();
  const value = c.assigneeId ? `agent:${c.assigneeId}` : c.teamId ? `team:${c.teamId}` : '';
  return (
    <select
      aria-label={t('actions.assign')}
      value={value}
      data-testid="assign-select"
      onChange={(e) => void actions.assign(assignTarget(e.currentTarget.value))}
    >
      <option value="">{t('actions.unassigned')}</option>
      <AssigneeOptions staff={staff} teams={teams} presence />
    </select>
  );
}

function SnoozeMenu({ actions }: { actions: Actions }) {
  const [open, setOpen] = useState(false);
  const [custom, setCustom] = useState('');
  const presets = snoozePresets(new Date());
  return (
    <div class="menu">
      <button
        type="button"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        data-testid="snooze"
      >
        {t('actions.snooze')}
      </button>
      {open && (
        <div class="menu-panel" role="menu" data-testid="snooze-menu">
          {presets.map((p) => (
            <button
              type="button"
              role="menuitem"
              data-testid={`snooze-${p.key}`}
              onClick={() => {
                setOpen(false);
                void actions.setStatus('snoozed', p.at);
              }}
            >
              {t(`snooze.${p.key}` as MessageKey)}
              <span class="muted small"> {fullTime(p.at.toISOString())}</span>
            </button>
          ))}
          <form
            class="menu-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (!custom) return;
              setOpen(false);
              void actions.setStatus('snoozed', new Date(custom));
            }}
          >
            <input
              type="datetime-local"
              aria-label={t('snooze.custom')}
              min={localInputValue(new Date())}
              value={custom}
              onInput={(e) => setCustom(e.currentTarget.value)}
              data-testid="snooze-custom"
            />
            <button type="submit">{t('snooze.set')}</button>
          </form>
        </div>
      )}
    </div>
  );
}

function FollowUpMenu({ actions }: { actions: Actions }) {
  const [open, setOpen] = useState(false);
  const [when, setWhen] = useState('');
  const [note, setNote] = useState('');
  const [done, setDone] = useState(false);
  return (
    <div class="menu">
      <button
        type="button"
        aria-expanded={open}
        onClick={() => {
          setOpen(!open);
          setDone(false);
        }}
        data-testid="follow-up"
      >
        {t('actions.followUp')}
      </button>
      {open && (
        <form
          class="menu-panel menu-form"
          data-testid="follow-up-menu"
          onSubmit={async (e) => {
            e.preventDefault();
            if (!when) return;
            if (await actions.followUp(new Date(when), note)) {
              setDone(true);
              setOpen(false);
              setNote('');
              setWhen('');
            }
          }}
        >
          <input
            type="datetime-local"
            required
            aria-label={t('followUp.when')}
            min={localInputValue(new Date())}
            value={when}
            onInput={(e) => setWhen(e.currentTarget.value)}
            data-testid="follow-up-at"
          />
          <input
            type="text"
            maxLength={2000}
            placeholder={t('followUp.note')}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
            data-testid="follow-up-note"
          />
          <button type="submit" class="primary">
            {t('followUp.set')}
          </button>
        </form>
      )}
      {done && (
        <span class="muted small" role="status" data-testid="follow-up-set">
          {t('followUp.done')}
        </span>
      )}
    </div>
  );
}
