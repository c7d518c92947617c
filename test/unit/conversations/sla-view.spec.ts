import { conversationView } from '../../../src/common/views';

const row = (sla: Record<string, unknown>) => ({
  id: 'c1',
  customer_id: 'u1',
  status: 'open',
  priority: 'normal',
  created_at: '2026-12-03T05:00:00.000Z',
  updated_at: '2026-12-03T05:00:00.000Z',
  ...sla,
});

describe('conversationView sla', () => {
  it('gives the first-response deadline, then resolution, and none without a cycle', () => {
    const first = new Date('2026-12-03T06:00:00.000Z');
    const resolution = new Date('2026-12-03T07:00:00.000Z');
    expect(
      conversationView(row({ sla_first_response_due_at: first, sla_resolution_due_at: resolution }))
        .sla,
    ).toEqual({ dueAt: first.toISOString(), kind: 'first_response' });
    expect(conversationView(row({ sla_resolution_due_at: resolution })).sla).toEqual({
      dueAt: resolution.toISOString(),
      kind: 'resolution',
    });
    expect(conversationView(row({})).sla).toBeNull();
  });

  it('keeps a breach shown, with its deadline or the breach time once the deadline went', () => {
    const breached = new Date('2026-12-03T05:30:00.000Z');
    expect(
      conversationView(
        row({
          sla_breached_at: breached,
          sla_breach_kind: 'first_response',
          sla_resolution_due_at: new Date('2026-12-03T07:00:00.000Z'),
        }),
      ).sla,
    ).toEqual({
      dueAt: breached.toISOString(),
      kind: 'first_response',
      breachedAt: breached.toISOString(),
    });
  });
});
