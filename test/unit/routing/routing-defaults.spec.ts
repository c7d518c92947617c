import { DEFAULT_ROUTING_POLICY } from '../../../src/routing/decision';
import {
  applyDefaults,
  parseStoredDefaults,
  type RoutingDefaults,
} from '../../../src/routing/routing-defaults';

const defaults: RoutingDefaults = {
  defaultRanking: { low: ['email'], normal: ['wechat'], high: ['sms'], critical: ['voice'] },
  frequencyCap: { perDay: 2, perWeek: 4 },
  fallbackSeconds: { normal: 0, high: 100, critical: 10, criticalRead: 20 },
};

describe('routing defaults', () => {
  it('replaces ranking, caps and fallback times (0 = no fallback), scaled', () => {
    const p = applyDefaults(DEFAULT_ROUTING_POLICY, defaults, 0.5);
    expect(p.defaultRanking.normal).toEqual(['wechat']);
    expect(p.frequencyCap).toEqual({ perDay: 2, perWeek: 4 });
    expect(p.fallback.normal).toBeNull();
    expect(p.fallback.high).toEqual({ afterSeconds: 50, unless: 'delivered' });
    expect(p.fallback.critical).toEqual({
      afterSeconds: 5,
      unless: 'delivered',
      readWithinSeconds: 10,
    });
    expect(p.maxFallbacks).toBe(DEFAULT_ROUTING_POLICY.maxFallbacks);
  });

  it('ignores stored JSON that no longer validates (configuration applies)', () => {
    expect(parseStoredDefaults(JSON.stringify(defaults))).toEqual(defaults);
    expect(parseStoredDefaults('{"defaultRanking":{}}')).toBeNull();
    expect(parseStoredDefaults('not json')).toBeNull();
    expect(parseStoredDefaults(null)).toBeNull();
  });
});
