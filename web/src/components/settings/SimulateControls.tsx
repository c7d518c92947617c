import '../../simulator.css';
import { t } from '../../i18n';

export const SIMULATION_DAYS = [1, 7, 30, 90] as const;

/** The Simulate action beside Save: the window to try the edited values on, and the button. */
export function SimulateControls({
  days,
  setDays,
  onSimulate,
  running,
}: {
  days: number;
  setDays: (days: number) => void;
  onSimulate: () => void;
  running: boolean;
}) {
  return (
    <>
      <label class="sim-days">
        {t('simulator.days')}
        <select
          value={String(days)}
          onChange={(e) => setDays(Number(e.currentTarget.value))}
          data-testid="simulate-days"
        >
          {SIMULATION_DAYS.map((n) => (
            <option key={n} value={String(n)}>
              {n === 1 ? t('simulator.dayOption') : t('simulator.daysOption', { n })}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={onSimulate} disabled={running} data-testid="routing-simulate">
        {running ? t('simulator.running') : t('simulator.run')}
      </button>
    </>
  );
}
