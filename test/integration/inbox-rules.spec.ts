import { addBusinessSeconds } from '../../src/inbox/business-hours';
import { csatRating, csatScore } from '../../src/inbox/csat-score';
import { decodeCursor, encodeCursor, likePattern } from '../../src/inbox/cursor';
import { mentionedIds } from '../../src/inbox/mentions';
import { raisedPriority, urgencyOf } from '../../src/inbox/priority';
import { canSee } from '../../src/conversations/visibility.service';

describe('csatScore', () => {
  it.each([
    ['5', 5],
    [' 3 ', 3],
    ['满意', 5],
    ['不满意', 1],
    ['非常满意！', 5],
    ['😡', 1],
    ['👍', 5],
    ['🙂', 4],
    ['6', null],
    ['I give it 5', null],
    ['thanks', null],
  ])('reads %p as %p', (text, score) => expect(csatScore(text)).toBe(score));

  it.each([
    ['5', { score: 5, comment: null }],
    ['5 很快就解决了', { score: 5, comment: '很快就解决了' }],
    ['不满意，等了太久', { score: 1, comment: '等了太久' }],
    ['3, slow reply', { score: 3, comment: 'slow reply' }],
    ['👍 thanks!', { score: 5, comment: 'thanks!' }],
    ['I give it 5', null],
    ['6 stars', null],
    ['thanks', null],
  ])('reads %p with its comment as %p', (text, rating) => expect(csatRating(text)).toEqual(rating));
});

describe('mentionedIds', () => {
  const people = [
    { id: 'lily', name: 'Lily Chen', email: 'lily@test.local' },
    { id: 'bob', name: 'Bob Smith', email: 'bob.smith@test.local' },
    { id: 'ann', name: 'Ann Lee', email: 'ann@test.local' },
    { id: 'annabel', name: 'Annabel', email: 'annabel@test.local' },
    { id: 'wang', name: '王芳', email: 'wf@test.local' },
    { id: 'wangfangfang', name: '王芳芳', email: 'wff@test.local' },
    { id: 'xiao', name: '小王', email: 'xw@test.local' },
  ];
  it.each([
    ['ping @Lily and @bob.smith, cc ann@example.com @小王', ['lily', 'bob', 'xiao']],
    ['@王芳请看一下这个订单', ['wang']],
    ['请@王芳芳处理', ['wangfangfang']],
    ['@ann.', ['ann']],
    ['@annabel please', ['annabel']],
    ['@anna please', []],
    ['@LilyChen and @BobSmith', ['lily', 'bob']],
    ['mail ann@test.local', []],
    ['@王', []],
  ])('%p names %p', (text, ids) =>
    expect(mentionedIds(text, people).sort()).toEqual([...ids].sort()),
  );
});

describe('addBusinessSeconds', () => {
  const weekdays = {
    '1': ['09:00', '17:00'],
    '2': ['09:00', '17:00'],
    '3': ['09:00', '17:00'],
    '4': ['09:00', '17:00'],
    '5': ['09:00', '17:00'],
  } as Record<string, [string, string]>;
  it('is plain addition without business hours', () => {
    expect(
      addBusinessSeconds(new Date('2026-11-23T10:00:00Z'), 90, {
        timezone: 'UTC',
        hours: null,
        holidays: [],
      }).toISOString(),
    ).toBe('2026-11-23T10:01:30.000Z');
  });
  it('pauses overnight and over the weekend', () => {
    // Friday 16:30 UTC + 1 hour of business time = Monday 09:30.
    const due = addBusinessSeconds(new Date('2026-11-27T16:30:00Z'), 3600, {
      timezone: 'UTC',
      hours: weekdays,
      holidays: [],
    });
    expect(due.toISOString()).toBe('2026-11-30T09:30:00.000Z');
  });
  it('skips holidays and counts in the team timezone', () => {
    // Shanghai is UTC+8: Monday 2026-11-30 is a holiday, so Tuesday 09:00 local = 01:00Z, + 30 min.
    const due = addBusinessSeconds(new Date('2026-11-29T12:00:00Z'), 1800, {
      timezone: 'Asia/Shanghai',
      hours: weekdays,
      holidays: ['2026-11-30'],
    });
    expect(due.toISOString()).toBe('2026-12-01T01:30:00.000Z');
  });
});

describe('cursor and search pattern', () => {
  it('round-trips a cursor and refuses garbage', () => {
    const c = { at: '2026-11-23T10:00:00.000Z', id: '0b6f3c1e-2f7a-4c1e-9d7e-1a2b3c4d5e6f' };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    expect(() => decodeCursor('nope')).toThrow(/cursor/);
  });
  it('escapes LIKE metacharacters', () => expect(likePattern('100%_off')).toBe('%100\\%\\_off%'));
});

describe('canSee', () => {
  const agent = { all: false, userId: 'u1', teamIds: ['t1'] };
  it.each([
    [{ teamId: null, assigneeId: null }, true],
    [{ teamId: 't1', assigneeId: 'u9' }, true],
    [{ teamId: 't2', assigneeId: 'u1' }, true],
    [{ teamId: 't2', assigneeId: null }, false],
  ])('agent sees %p: %p', (conv, expected) => expect(canSee(agent, conv)).toBe(expected));
  it('supervisors see all', () =>
    expect(
      canSee({ all: true, userId: 's', teamIds: [] }, { teamId: 't2', assigneeId: null }),
    ).toBe(true));
});

describe('urgencyOf and raisedPriority', () => {
  it('counts inbound messages as normal, routed ones at their urgency, notes and events not at all', () => {
    expect(urgencyOf({ direction: 'inbound', kind: 'message', urgency: null })).toBe('normal');
    expect(urgencyOf({ direction: 'outbound', kind: 'message', urgency: 'critical' })).toBe(
      'critical',
    );
    expect(urgencyOf({ direction: 'outbound', kind: 'message', urgency: null })).toBeNull();
    expect(urgencyOf({ direction: 'outbound', kind: 'note', urgency: 'high' })).toBeNull();
    expect(urgencyOf({ direction: 'outbound', kind: 'message', urgency: 'bogus' })).toBeNull();
  });

  it.each([
    ['normal', 'high', 'high'],
    ['low', 'normal', 'normal'],
    ['high', 'normal', null],
    ['critical', 'critical', null],
    ['normal', null, null],
  ] as const)('moves %s with a %s message to %s', (current, urgency, expected) => {
    expect(raisedPriority(current, urgency)).toBe(expected);
  });
});
