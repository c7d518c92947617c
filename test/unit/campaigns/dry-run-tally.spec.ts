import type { BatchCustomer } from '../../../src/campaigns/batch-context.loader';
import { addPlan, emptyTally } from '../../../src/campaigns/dry-run-tally';
import type { PlannedSend, PlannedSuppression } from '../../../src/campaigns/recipient-plan';

const customer = (id: string, timezone = 'Asia/Shanghai') =>
  ({ displayName: `C ${id}`, context: { customerId: id, timezone } }) as unknown as BatchCustomer;

const send = (
  id: string,
  channel: 'email' | 'sms',
  extra: Partial<PlannedSend> = {},
  reasons: string[] = [`${channel} chosen: default ranking for normal`],
): PlannedSend =>
  ({
    customerId: id,
    channel,
    variant: null,
    sendAt: null,
    digestDue: null,
    route: { channel, address: 'x', sendAt: '2026-12-03T10:00:00.000Z', fallbacks: [], reasons },
    ...extra,
  }) as PlannedSend;

const suppressed = (id: string, s: PlannedSuppression['suppression']): PlannedSuppression => ({
  customerId: id,
  suppression: s,
  variant: null,
  reasons: ['email excluded: consent revoked for marketing'],
});

describe('the dry run tally', () => {
  it('counts per channel now, held (with its span) and digest, and per suppression', () => {
    const t = emptyTally();
    const held1 = new Date('2026-12-03T23:00:00Z');
    const held2 = new Date('2026-12-04T01:00:00Z');
    addPlan(
      t,
      ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => customer(id)),
      {
        sends: [
          send('a', 'email'),
          send('b', 'sms', { sendAt: held2 }),
          send('c', 'email', { sendAt: held1 }),
          send('d', 'email', { digestDue: held1 }),
        ],
        suppressed: [suppressed('e', 'noConsent'), suppressed('f', 'frequencyCap')],
      },
      20,
    );
    expect(t.recipients).toBe(6);
    expect(t.byChannel.email).toEqual({ now: 1, held: 1, digest: 1 });
    expect(t.byChannel.sms).toEqual({ now: 0, held: 1, digest: 0 });
    expect(t.held).toEqual({
      count: 2,
      earliest: held1.toISOString(),
      latest: held2.toISOString(),
    });
    expect(t.suppressed).toMatchObject({ noConsent: 1, frequencyCap: 1, total: 2 });
    const e = t.sample.find((s) => s.customerId === 'e');
    expect(e?.explanation['zh-CN'].join('')).toMatch(/停止接收/);
    const a = t.sample.find((s) => s.customerId === 'a');
    expect(a?.explanation.en.length).toBeGreaterThan(0);
  });

  it('keeps one of each kind in a full sample', () => {
    const t = emptyTally();
    const ids = Array.from({ length: 30 }, (_, i) => `n${i}`);
    addPlan(
      t,
      [...ids, 'x'].map((id) => customer(id)),
      { sends: ids.map((id) => send(id, 'email')), suppressed: [suppressed('x', 'noChannel')] },
      5,
    );
    expect(t.sample).toHaveLength(5);
    expect(t.sample.some((s) => s.suppression === 'noChannel')).toBe(true);
  });
});
