import { DEFAULT_ROUTING_POLICY } from '../../../src/routing/decision';
import type { Ask } from '../../../src/routing/routing-context.repository';
import { applyDefaults, type RoutingDefaults } from '../../../src/routing/routing-defaults';
import type { PastSendRow } from '../../../src/routing/simulation/past-sends.repository';
import { PolicySimulatorService } from '../../../src/routing/simulation/policy-simulator.service';
import { ALL, customer } from './routing-fixtures';

const DEFAULTS: RoutingDefaults = {
  defaultRanking: {
    low: ['email'],
    normal: ['email', 'sms'],
    high: ['sms', 'email'],
    critical: ['sms', 'voice'],
  },
  frequencyCap: { perDay: 1, perWeek: 3 },
  fallbackSeconds: { normal: 3600, high: 600, critical: 60, criticalRead: 300 },
};

function row(i: number): PastSendRow {
  return {
    id: `m${i}`,
    message_id: `m${i}`,
    customer_id: `c${i % 7}`,
    at: new Date(Date.UTC(2026, 11, 1, 12, 0, i)),
    topic: 'orders',
    urgency: 'normal',
    purpose: 'transactional',
    template: 'order-shipped',
    channel: 'email',
    suppression: null,
    forced: false,
  };
}

/** The service over stand-ins: `n` sends in the window, of which the latest `limit` are read. */
function simulator(n: number, gone: ReadonlySet<string> = new Set()) {
  const batches: Ask[][] = [];
  const service = new PolicySimulatorService(
    {
      latest: (_since: Date, limit: number) =>
        Promise.resolve({
          rows: Array.from({ length: Math.min(n, limit) }, (_, i) => row(i)),
          inWindow: n,
        }),
    } as never,
    {
      asOf: (asks: Ask[]) => {
        batches.push(asks);
        return Promise.resolve(
          asks.map((a) =>
            gone.has(a.customerId)
              ? null
              : { displayName: 'x', context: { ...customer({ customerId: a.customerId }) } },
          ),
        );
      },
    } as never,
    {
      refresh: () => Promise.resolve(),
      defaults: () => ({ defaults: DEFAULTS, source: 'environment' }),
      withDefaults: (d: RoutingDefaults) => applyDefaults(DEFAULT_ROUTING_POLICY, d, 1),
    } as never,
    { availableChannels: () => new Set(ALL) } as never,
  );
  return { service, batches };
}

describe('PolicySimulatorService', () => {
  it('reads contexts in batches of 500 sends, each as at its send', async () => {
    const { service, batches } = simulator(1200);
    const r = await service.simulate({ days: 7, limit: 20_000, proposed: {} });
    expect(batches.map((b) => b.length)).toEqual([500, 500, 200]);
    expect(batches[0][3]).toEqual({ customerId: 'c3', now: row(3).at });
    expect(r).toMatchObject({ total: 1200, sampled: false, moved: 0, skipped: 0 });
  });

  it('says when only the latest `limit` sends were simulated, and skips customers gone', async () => {
    const { service } = simulator(50, new Set(['c0']));
    const r = await service.simulate({
      days: 7,
      limit: 20,
      proposed: { defaultRanking: { normal: ['sms', 'email'] } },
    });
    // c0 holds sends 0, 7 and 14 of the latest 20.
    expect(r).toMatchObject({ inWindow: 50, limit: 20, sampled: true, total: 17, skipped: 3 });
    expect(r.matrix).toEqual([{ from: 'email', to: 'sms', count: 17 }]);
    expect(
      (r.sample[0].proposed as { explanation?: Record<string, string[]> }).explanation?.en,
    ).toEqual([expect.stringContaining('SMS')]);
  });
});
