import { fromHistory } from '../../../src/campaigns/batch-context.loader';

const now = new Date('2026-11-20T12:00:00Z');
const ago = (hours: number) => new Date(now.getTime() - hours * 3_600_000).toISOString();
type H = Parameters<typeof fromHistory>[0][number];
const out = (
  channel: string,
  hours: number,
  status = 'delivered',
  purpose: string | null = 'service',
): H => ['outbound', channel as never, ago(hours), status, ago(hours), purpose];
const inb = (channel: string, hours: number): H => [
  'inbound',
  channel as never,
  ago(hours),
  'delivered',
  ago(hours),
  null,
];

describe('fromHistory', () => {
  it('ranks channels answered within 48 hours (newest-first input, any order)', () => {
    const r = fromHistory(
      [
        inb('sms', 200),
        out('sms', 201),
        inb('sms', 100),
        out('email', 120),
        out('sms', 101),
        inb('wechat', 10),
        out('wechat', 70),
      ],
      now,
    );
    expect(r.learnedRanking).toEqual(['sms']);
  });

  it('counts an answer on another channel or after 48 hours as no answer, and a read as one', () => {
    const r = fromHistory(
      [
        inb('email', 1),
        out('sms', 5),
        inb('wechat', 10),
        out('wechat', 100),
        out('email', 30, 'read'),
      ],
      now,
    );
    expect(r.learnedRanking).toEqual(['email']);
  });

  it('ignores outbound messages older than 90 days', () => {
    expect(fromHistory([inb('sms', 91 * 24 - 1), out('sms', 91 * 24)], now).learnedRanking).toEqual(
      [],
    );
  });

  it('counts marketing sent in the last day and week, not suppressed or failed ones', () => {
    const r = fromHistory(
      [
        out('email', 2, 'delivered', 'marketing'),
        out('sms', 30, 'sent', 'marketing'),
        out('sms', 3, 'suppressed', 'marketing'),
        out('sms', 4, 'failed', 'marketing'),
        out('email', 200, 'delivered', 'marketing'),
        out('email', 1, 'queued', 'service'),
      ],
      now,
    );
    expect(r.marketingSent).toEqual({ lastDay: 1, lastWeek: 2 });
  });
});
