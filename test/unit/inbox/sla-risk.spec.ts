import { slaDeadline } from '../../../src/inbox/sla-risk';

describe('SLA at risk', () => {
  const calendar = { timezone: 'UTC', hours: null, holidays: [] };
  const cycleAt = new Date('2026-12-03T10:00:00Z');
  const facts = {
    cycleAt,
    answered: false,
    firstResponseSeconds: 600,
    resolutionSeconds: 3600,
    calendar,
  };

  it('names the next deadline breached or due soon, else nothing', () => {
    expect(slaDeadline(facts, new Date('2026-12-03T10:05:00Z'), 1800)).toEqual({
      kind: 'first_response',
      state: 'due_soon',
      dueAt: new Date('2026-12-03T10:10:00Z'),
    });
    expect(slaDeadline(facts, new Date('2026-12-03T10:05:00Z'), 60)).toBeNull();
    expect(slaDeadline(facts, new Date('2026-12-03T10:11:00Z'), 60)?.state).toBe('breached');
    // Answered: the resolution target is next.
    expect(
      slaDeadline({ ...facts, answered: true }, new Date('2026-12-03T10:45:00Z'), 1800),
    ).toMatchObject({
      kind: 'resolution',
      state: 'due_soon',
    });
  });

  it('counts business hours: a deadline out of hours waits for the next opening', () => {
    const weekdays = { ...calendar, hours: { '4': ['09:00', '10:05'] as [string, string] } };
    // Thursday 10:00 + 10 minutes of business time: 5 minutes today, then next Thursday.
    const d = slaDeadline({ ...facts, calendar: weekdays }, new Date('2026-12-03T10:06:00Z'), 1800);
    expect(d).toBeNull();
  });
});
