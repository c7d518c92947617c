import {
  digestItemRefusal,
  digestPurpose,
  planDigest,
  type DigestHistory,
} from '../../../src/routing/decision';
import { customer, NIGHT_SHANGHAI, NOON_SHANGHAI, policy } from './routing-fixtures';

const MIN = 60_000;
const at = (base: Date, minutes: number) => new Date(base.getTime() + minutes * MIN);
const none: DigestHistory = { lastLowAt: null, openDigest: null };

describe('planDigest', () => {
  const ctx = customer();
  const pol = policy({ digestWindowMinutes: 60 });

  it.each(['normal', 'high', 'critical'] as const)(
    '%s urgency goes now even right after a low-urgency message',
    (urgency) => {
      const history = { lastLowAt: at(NOON_SHANGHAI, -1), openDigest: null };
      expect(planDigest(ctx, { urgency }, history, NOON_SHANGHAI, pol)).toEqual({
        gather: false,
        reason: null,
      });
    },
  );

  it('the first low-urgency message goes now and opens the window', () => {
    expect(planDigest(ctx, { urgency: 'low' }, none, NOON_SHANGHAI, pol).gather).toBe(false);
  });

  it('a low-urgency message after the window has closed goes now', () => {
    const history = { lastLowAt: at(NOON_SHANGHAI, -60), openDigest: null };
    expect(planDigest(ctx, { urgency: 'low' }, history, NOON_SHANGHAI, pol).gather).toBe(false);
  });

  it('a low-urgency message within the window opens a digest due when the window ends', () => {
    const history = { lastLowAt: at(NOON_SHANGHAI, -20), openDigest: null };
    const plan = planDigest(ctx, { urgency: 'low' }, history, NOON_SHANGHAI, pol);
    expect(plan).toEqual({
      gather: true,
      digestId: null,
      dueAt: at(NOON_SHANGHAI, 40),
      reason: expect.stringContaining('within 60 min'),
    });
  });

  it('a low-urgency message still delayed by quiet hours opens the window from its send time', () => {
    const history = { lastLowAt: at(NOON_SHANGHAI, 30), openDigest: null };
    const plan = planDigest(ctx, { urgency: 'low' }, history, NOON_SHANGHAI, pol);
    expect(plan.gather && plan.dueAt).toEqual(at(NOON_SHANGHAI, 90));
  });

  it('joins the open digest, whatever its due time', () => {
    const dueAt = at(NOON_SHANGHAI, 5);
    const history = { lastLowAt: at(NOON_SHANGHAI, -300), openDigest: { id: 'd1', dueAt } };
    expect(planDigest(ctx, { urgency: 'low' }, history, NOON_SHANGHAI, pol)).toEqual({
      gather: true,
      digestId: 'd1',
      dueAt,
      reason: expect.stringContaining('digest d1'),
    });
  });

  it('pushes the digest past quiet hours (22:00-08:00 Shanghai) to the next allowed time', () => {
    const quiet = customer({ quietHours: { start: '22:00', end: '08:00' } });
    // 21:30 local: the window would end at 22:30, inside quiet hours.
    const now = at(NIGHT_SHANGHAI, -90);
    const history = { lastLowAt: at(now, -30), openDigest: null };
    const plan = planDigest(quiet, { urgency: 'low' }, history, now, pol);
    expect(plan.gather && plan.dueAt).toEqual(new Date('2025-03-11T00:00:00Z'));
    expect(plan.gather && plan.reason).toContain('pushed past quiet hours');
  });

  it('uses the policy default quiet hours when the customer has none of their own', () => {
    const now = at(NIGHT_SHANGHAI, -90);
    const history = { lastLowAt: at(now, -30), openDigest: null };
    const plan = planDigest(
      customer({ quietHours: undefined }),
      { urgency: 'low' },
      history,
      now,
      policy({
        digestWindowMinutes: 60,
        quietHours: {
          default: { start: '22:00', end: '08:00' },
          exemptUrgencies: [],
          suppressPurposes: [],
        },
      }),
    );
    expect(plan.gather && plan.dueAt).toEqual(new Date('2025-03-11T00:00:00Z'));
  });

  it('window 0 turns digests off', () => {
    const history = {
      lastLowAt: at(NOON_SHANGHAI, -1),
      openDigest: { id: 'd', dueAt: NOON_SHANGHAI },
    };
    const off = policy({ digestWindowMinutes: 0 });
    expect(planDigest(ctx, { urgency: 'low' }, history, NOON_SHANGHAI, off).gather).toBe(false);
  });

  it('a channel forced by the caller goes now, with the reason', () => {
    const history = { lastLowAt: at(NOON_SHANGHAI, -1), openDigest: null };
    const plan = planDigest(ctx, { urgency: 'low', channel: 'sms' }, history, NOON_SHANGHAI, pol);
    expect(plan).toEqual({ gather: false, reason: expect.stringContaining('forced') });
  });
});

describe('digestPurpose and digestItemRefusal', () => {
  it('a digest is marketing when any item is, else service, else transactional', () => {
    expect(digestPurpose(['service', 'marketing'])).toBe('marketing');
    expect(digestPurpose(['transactional', 'service'])).toBe('service');
    expect(digestPurpose(['transactional'])).toBe('transactional');
  });

  it('drops an item whose consent was revoked, or marketing without a grant', () => {
    expect(digestItemRefusal({ email: { service: 'revoked' } }, 'email', 'service')).toBe(
      'consent revoked for service on email',
    );
    expect(digestItemRefusal({}, 'email', 'marketing')).toBe(
      'no consent granted for marketing on email',
    );
    expect(digestItemRefusal({}, 'email', 'service')).toBeNull();
    expect(digestItemRefusal({ email: { marketing: 'granted' } }, 'email', 'marketing')).toBeNull();
  });
});
