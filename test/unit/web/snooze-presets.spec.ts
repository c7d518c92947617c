import { localInputValue, snoozePresets } from '../../../web/src/snooze-presets';

// Local-time arithmetic: the test process runs with TZ unset or UTC; dates are built locally.
const local = (y: number, m: number, d: number, h: number, min = 0) =>
  new Date(y, m - 1, d, h, min);

describe('snoozePresets', () => {
  it('offers an hour, this evening, tomorrow 09:00 and next Monday 09:00 on a weekday morning', () => {
    const wednesday = local(2026, 12, 2, 10, 15);
    expect(snoozePresets(wednesday)).toEqual([
      { key: 'hour', at: local(2026, 12, 2, 11, 15) },
      { key: 'evening', at: local(2026, 12, 2, 18) },
      { key: 'tomorrow', at: local(2026, 12, 3, 9) },
      { key: 'nextWeek', at: local(2026, 12, 7, 9) },
    ]);
  });

  it('drops this evening from 17:00 and goes a week on from a Monday, across a month end', () => {
    const monday = local(2026, 11, 30, 17, 0);
    expect(snoozePresets(monday).map((p) => [p.key, p.at])).toEqual([
      ['hour', local(2026, 11, 30, 18)],
      ['tomorrow', local(2026, 12, 1, 9)],
      ['nextWeek', local(2026, 12, 7, 9)],
    ]);
  });

  it('reaches Monday from a Sunday night', () => {
    const sunday = local(2026, 12, 6, 23, 30);
    expect(snoozePresets(sunday).at(-1)).toEqual({ key: 'nextWeek', at: local(2026, 12, 7, 9) });
  });

  it('writes a datetime-local value in local time', () => {
    expect(localInputValue(local(2026, 1, 5, 7, 3))).toBe('2026-01-05T07:03');
  });
});
