import { useMemo, useState } from 'preact/hooks';
import { client, unwrap } from '../../api/client';
import { t, type MessageKey } from '../../i18n';
import type { Team, WeekHours } from './settings-types';
import { SettingsError } from './SettingsError';
import { useAction } from './use-resource';

const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '0'] as const; // Monday first
const DEFAULT_WINDOW: [string, string] = ['09:00', '18:00'];

/** Every IANA zone the browser knows (the server validates the same names). */
function timeZones(current: string): string[] {
  const all = Intl.supportedValuesOf?.('timeZone') ?? [];
  // 'UTC' is canonical on the server but missing from some browsers' list.
  return [...new Set(['UTC', current, ...all])].sort();
}

/** A team's calendar: time zone, hours per weekday (or around the clock), holidays. */
export function TeamHoursEditor({ team, onSaved }: { team: Team; onSaved: () => void }) {
  const { run, busy, error } = useAction(onSaved);
  const zones = useMemo(() => timeZones(team.timezone), [team.timezone]);
  const [timezone, setTimezone] = useState(team.timezone);
  const [allDay, setAllDay] = useState(team.businessHours === null);
  const [hours, setHours] = useState<WeekHours>(team.businessHours ?? {});
  const [holidays, setHolidays] = useState<string[]>(team.holidays);
  const [newHoliday, setNewHoliday] = useState('');

  const setDay = (day: string, window: [string, string] | null) => {
    const next = { ...hours };
    if (window) next[day] = window;
    else delete next[day];
    setHours(next);
  };

  return (
    <form
      class="team-hours"
      data-testid="team-hours"
      onSubmit={(e) => {
        e.preventDefault();
        void run(() =>
          unwrap(
            client.PATCH('/api/v1/teams/{id}', {
              params: { path: { id: team.id } },
              body: { timezone, businessHours: allDay ? null : hours, holidays },
            }),
          ),
        );
      }}
    >
      <h3>{t('teams.hours')}</h3>
      <label>
        {t('teams.timezone')}
        <select
          value={timezone}
          onChange={(e) => setTimezone(e.currentTarget.value)}
          data-testid="team-timezone"
        >
          {zones.map((z) => (
            <option value={z}>{z}</option>
          ))}
        </select>
      </label>
      <label class="check">
        <input
          type="checkbox"
          checked={allDay}
          onChange={(e) => setAllDay(e.currentTarget.checked)}
          data-testid="team-all-day"
        />
        {t('teams.aroundTheClock')}
      </label>
      {!allDay && (
        <div class="weekdays">
          {WEEKDAYS.map((day) => {
            const window = hours[day];
            const label = t(`weekday.${day}` as MessageKey);
            return (
              <div class="weekday" data-testid={`weekday-${day}`} key={day}>
                <label class="check">
                  <input
                    type="checkbox"
                    checked={Boolean(window)}
                    onChange={(e) => setDay(day, e.currentTarget.checked ? DEFAULT_WINDOW : null)}
                    data-testid="weekday-open"
                  />
                  {label}
                </label>
                {window && (
                  <span class="weekday-times">
                    <input
                      type="time"
                      aria-label={`${label} ${t('teams.from')}`}
                      value={window[0]}
                      onInput={(e) => setDay(day, [e.currentTarget.value, window[1]])}
                      data-testid="weekday-from"
                    />
                    <span aria-hidden="true">–</span>
                    <input
                      type="time"
                      aria-label={`${label} ${t('teams.to')}`}
                      value={window[1]}
                      onInput={(e) => setDay(day, [window[0], e.currentTarget.value])}
                      data-testid="weekday-to"
                    />
                  </span>
                )}
              </div>
            );
          })}
        </div>
      )}
      <h3>{t('teams.holidays')}</h3>
      <ul class="chips" data-testid="team-holidays">
        {holidays.map((d) => (
          <li class="chip" key={d}>
            {d}
            <button
              type="button"
              class="link"
              aria-label={t('teams.removeHoliday', { date: d })}
              onClick={() => setHolidays(holidays.filter((h) => h !== d))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <div class="settings-inline">
        <input
          type="date"
          aria-label={t('teams.addHoliday')}
          value={newHoliday}
          onInput={(e) => setNewHoliday(e.currentTarget.value)}
          data-testid="holiday-date"
        />
        <button
          type="button"
          disabled={!newHoliday}
          data-testid="holiday-add"
          onClick={() => {
            if (!holidays.includes(newHoliday)) setHolidays([...holidays, newHoliday].sort());
            setNewHoliday('');
          }}
        >
          {t('teams.addHoliday')}
        </button>
      </div>
      <SettingsError message={error} />
      <button type="submit" class="primary" disabled={busy} data-testid="team-hours-save">
        {t('teams.saveHours')}
      </button>
    </form>
  );
}
