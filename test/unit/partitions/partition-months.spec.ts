import {
  expiredPartitions,
  monthPartition,
  monthsAhead,
  parsePartition,
  retentionCutoff,
} from '../../../src/partitions/partition-months';

describe('partition months', () => {
  it('names a month and bounds it in UTC, rolling over the year', () => {
    const p = monthPartition('messages', 2026, 12);
    expect(p.name).toBe('messages_y2027m01');
    expect(p.from.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(p.to.toISOString()).toBe('2027-02-01T00:00:00.000Z');
  });

  it('wants the current month and the next ones', () => {
    const names = monthsAhead('finished_jobs', new Date('2026-11-30T23:59:59Z'), 3).map(
      (p) => p.name,
    );
    expect(names).toEqual([
      'finished_jobs_y2026m11',
      'finished_jobs_y2026m12',
      'finished_jobs_y2027m01',
      'finished_jobs_y2027m02',
    ]);
  });

  it.each([
    ['messages_y2026m02', 'messages', '2026-02-01T00:00:00.000Z'],
    ['messages_default', 'messages', null],
    ['messages_y2026m13', 'messages', null],
    ['delivery_attempts_y2026m02', 'messages', null],
  ] as const)('reads %s as a month of %s: %s', (name, table, from) => {
    expect(parsePartition(table, name)?.from.toISOString() ?? null).toBe(from);
  });

  it('expires only months wholly older than the period, and none without one', () => {
    const now = new Date('2026-12-03T12:00:00Z');
    const months = [9, 10, 11].map((m) => monthPartition('tracking_events', 2026, m - 1));
    // 33 days: the cutoff is 2026-10-31 12:00, inside October.
    const cutoff = retentionCutoff(now, 33);
    expect(expiredPartitions(months, cutoff).map((p) => p.name)).toEqual([
      'tracking_events_y2026m09',
    ]);
    // 64 days: 2026-09-30 12:00, inside September: nothing ended before it.
    expect(expiredPartitions(months, retentionCutoff(now, 64))).toEqual([]);
    // 2 days: 2026-12-01 12:00, after November ended.
    expect(expiredPartitions(months, retentionCutoff(now, 2)).map((p) => p.name)).toEqual([
      'tracking_events_y2026m09',
      'tracking_events_y2026m10',
      'tracking_events_y2026m11',
    ]);
    expect(retentionCutoff(now, 0)).toBeNull();
    expect(expiredPartitions(months, null)).toEqual([]);
  });
});
