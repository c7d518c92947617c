import type { Channel } from '../../../src/common/names';
import {
  decideRoute,
  insideWhatsappWindow,
  whatsappWindowProblem,
} from '../../../src/routing/decision';
import type { CustomerRoutingContext, RouteDecision } from '../../../src/routing/decision';
import { customer, intent, NIGHT_SHANGHAI, NOON_SHANGHAI, policy } from './routing-fixtures';

const HOUR = 3_600_000;
const NOW = NOON_SHANGHAI;
const ago = (hours: number) => new Date(NOW.getTime() - hours * HOUR);
const WA = { channel: 'whatsapp' as const, address: '+8613800138000', status: 'active' as const };
const withWhatsapp = (overrides: Partial<CustomerRoutingContext> = {}) => {
  const base = customer();
  return customer({
    identities: [...base.identities, WA],
    consent: {
      ...base.consent,
      whatsapp: { marketing: 'granted', transactional: 'granted', service: 'granted' },
    },
    templateChannels: new Set<Channel>([...base.templateChannels, 'whatsapp']),
    ...overrides,
  });
};
const approved = policy({ whatsapp: { windowHours: 24, approvedTemplates: ['service-alert'] } });

describe('the WhatsApp window, alone', () => {
  it.each([
    [null, false],
    [ago(25), false],
    [ago(24), false],
    [ago(23.99), true],
    [ago(0), true],
  ])('last inbound %p -> inside %p', (last, inside) => {
    expect(insideWhatsappWindow(last, NOW.getTime())).toBe(inside);
  });

  it('names the window and the template', () => {
    expect(whatsappWindowProblem(ago(30), 'order-shipped', NOW.getTime())).toBe(
      `outside the 24-hour WhatsApp customer service window (last inbound WhatsApp message ${ago(30).toISOString()}); template order-shipped is not an approved WhatsApp template`,
    );
    expect(whatsappWindowProblem(null, undefined, NOW.getTime())).toMatch(
      /no inbound WhatsApp message\); a free-form message$/,
    );
    expect(
      whatsappWindowProblem(null, 'service-alert', NOW.getTime(), approved.whatsapp),
    ).toBeNull();
  });
});

describe(`${decideRoute.name} and the WhatsApp window`, () => {
  const cases: Array<{
    name: string;
    ctx: Partial<CustomerRoutingContext>;
    template?: string;
    urgency?: 'normal' | 'critical';
    pol?: ReturnType<typeof policy>;
    now?: Date;
    chosen: Channel | null;
    reason?: RegExp;
  }> = [
    {
      name: 'inside the window: whatsapp chosen',
      ctx: { lastWhatsappInboundAt: ago(2) },
      chosen: 'whatsapp',
    },
    {
      name: 'outside the window: skipped with the reason, the next channel chosen',
      ctx: { lastWhatsappInboundAt: ago(25) },
      chosen: 'sms',
      reason: /^whatsapp excluded: outside the 24-hour WhatsApp customer service window/m,
    },
    {
      name: 'never wrote on WhatsApp: skipped',
      ctx: {},
      chosen: 'sms',
      reason: /no inbound WhatsApp message/,
    },
    {
      name: 'outside the window, approved template: whatsapp chosen',
      ctx: { lastWhatsappInboundAt: ago(100) },
      template: 'service-alert',
      pol: approved,
      chosen: 'whatsapp',
    },
    {
      name: 'inside now, but quiet hours carry the send past the window: skipped',
      ctx: {
        lastWhatsappInboundAt: new Date(NIGHT_SHANGHAI.getTime() - 23 * HOUR),
        quietHours: { start: '22:00', end: '08:00' },
      },
      now: NIGHT_SHANGHAI,
      chosen: 'sms',
      reason: /at its turn/,
    },
  ];
  it.each(cases)('$name', (c) => {
    const now = c.now ?? NOW;
    const ctx = withWhatsapp({
      preferences: [{ topic: '*', urgency: '*', channels: ['whatsapp', 'sms'] }],
      ...c.ctx,
    });
    const d: RouteDecision = decideRoute(
      ctx,
      intent({ template: c.template ?? 'order-shipped', urgency: c.urgency ?? 'normal' }),
      now,
      c.pol ?? policy(),
    );
    expect(d.ok && d.channel).toBe(c.chosen ?? false);
    if (c.reason) expect(d.reasons.join('\n')).toMatch(c.reason);
  });

  it('a forced whatsapp send outside the window is refused (noChannel), naming the window', () => {
    const d = decideRoute(
      withWhatsapp({ lastWhatsappInboundAt: ago(48) }),
      intent({ channel: 'whatsapp' }),
      NOW,
      policy(),
    );
    expect(d).toEqual({
      ok: false,
      suppression: 'noChannel',
      reasons: [expect.stringMatching(/^whatsapp excluded: outside the 24-hour/)],
    });
  });

  it('a whatsapp fallback whose turn comes after the window closes is dropped', () => {
    const d = decideRoute(
      withWhatsapp({
        lastWhatsappInboundAt: ago(23.5),
        preferences: [{ topic: '*', urgency: '*', channels: ['email', 'whatsapp', 'sms'] }],
      }),
      intent({ urgency: 'normal' }),
      NOW,
      policy(),
    );
    // normal: fallback after 3600 s; the window closes in 30 minutes.
    expect(d.ok && d.fallbacks.map((f) => f.channel)).toEqual(['sms']);
  });
});
