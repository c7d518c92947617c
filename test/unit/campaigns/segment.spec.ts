import {
  matchesSegment,
  segmentSchema,
  segmentSql,
  type Segment,
  type SegmentCustomer,
} from '../../../src/campaigns/segment';

const base: SegmentCustomer = {
  tags: ['vip', 'beta'],
  tier: 'core',
  attributes: { plan: 'pro', spend: 150, active: true, note: null, nested: { a: 1 } },
  lastContactAt: new Date('2026-06-01T00:00:00Z'),
  rfm: { r: 4, f: 2, m: 5, churnRisk: false },
};
const c = (patch: Partial<SegmentCustomer>): SegmentCustomer => ({ ...base, ...patch });

describe('matchesSegment', () => {
  const table: Array<[string, Segment, SegmentCustomer, boolean]> = [
    ['empty segment matches everyone', {}, base, true],
    ['all listed tags present', { tags: ['vip'] }, base, true],
    ['a missing tag excludes', { tags: ['vip', 'gold'] }, base, false],
    ['tier equal', { tier: 'core' }, base, true],
    ['tier in list', { tier: ['edge', 'core'] }, base, true],
    ['tier other', { tier: 'edge' }, base, false],
    ['no tier never matches a tier', { tier: 'core' }, c({ tier: null }), false],
    ['eq string', { attributes: { plan: { eq: 'pro' } } }, base, true],
    ['eq string other', { attributes: { plan: { eq: 'free' } } }, base, false],
    ['eq on a missing attribute', { attributes: { region: { eq: 'cn' } } }, base, false],
    ['eq null matches a null value', { attributes: { note: { eq: null } } }, base, true],
    [
      'eq null does not match a missing one',
      { attributes: { missing: { eq: null } } },
      base,
      false,
    ],
    ['ne matches a missing attribute', { attributes: { region: { ne: 'cn' } } }, base, true],
    ['ne excludes the equal value', { attributes: { plan: { ne: 'pro' } } }, base, false],
    ['eq never matches an object', { attributes: { nested: { eq: 1 } } }, base, false],
    ['in', { attributes: { plan: { in: ['pro', 'team'] } } }, base, true],
    ['in (not listed)', { attributes: { plan: { in: ['free'] } } }, base, false],
    ['gte inclusive', { attributes: { spend: { gte: 150 } } }, base, true],
    ['gt exclusive', { attributes: { spend: { gt: 150 } } }, base, false],
    ['range', { attributes: { spend: { gte: 100, lt: 200 } } }, base, true],
    ['numeric op on a string', { attributes: { plan: { gt: 1 } } }, base, false],
    ['numeric op on a missing attribute', { attributes: { age: { lt: 30 } } }, base, false],
    ['exists true', { attributes: { plan: { exists: true } } }, base, true],
    ['exists false', { attributes: { plan: { exists: false } } }, base, false],
    ['boolean eq', { attributes: { active: { eq: true } } }, base, true],
    ['contacted before', { lastContactBefore: '2026-07-01T00:00:00Z' }, base, true],
    ['contacted after', { lastContactAfter: '2026-07-01T00:00:00Z' }, base, false],
    [
      'never contacted matches neither bound',
      { lastContactBefore: '2030-01-01T00:00:00Z' },
      c({ lastContactAt: null }),
      false,
    ],
    ['rfm minimums', { rfm: { minR: 4, minM: 5 } }, base, true],
    ['rfm minimum not met', { rfm: { minF: 3 } }, base, false],
    ['rfm needs a score', { rfm: {} }, c({ rfm: null }), false],
    [
      'churn risk flag',
      { rfm: { churnRisk: true } },
      c({ rfm: { r: 1, f: 1, m: 1, churnRisk: true } }),
      true,
    ],
    [
      'consent granted (the latest entry)',
      { consent: [{ channel: 'email', purpose: 'marketing', status: 'granted' }] },
      c({ consent: [{ channel: 'email', purpose: 'marketing', status: 'granted' }] }),
      true,
    ],
    [
      'consent revoked is not granted',
      { consent: [{ channel: 'email', purpose: 'marketing', status: 'granted' }] },
      c({ consent: [{ channel: 'email', purpose: 'marketing', status: 'revoked' }] }),
      false,
    ],
    [
      'consent none: no entry for that channel and purpose',
      { consent: [{ channel: 'email', purpose: 'marketing', status: 'none' }] },
      c({ consent: [{ channel: 'email', purpose: 'service', status: 'granted' }] }),
      true,
    ],
    [
      'all conditions together',
      {
        tags: ['beta'],
        tier: 'core',
        attributes: { plan: { eq: 'pro' }, spend: { gte: 100 } },
        rfm: { minR: 3 },
      },
      base,
      true,
    ],
  ];
  it.each(table)('%s', (_name, segment, customer, expected) => {
    expect(matchesSegment(customer, segmentSchema.parse(segment))).toBe(expected);
  });
});

describe('segmentSql', () => {
  it('numbers parameters after the offset and always excludes erased and merged customers', () => {
    const sql = segmentSql({ tags: ['vip'], attributes: { plan: { eq: 'pro' } } }, 3);
    expect(sql.where).toContain('c.erased_at IS NULL AND c.merged_into_id IS NULL');
    expect(sql.where).toContain('c.tags @> $4::text[]');
    expect(sql.params).toEqual([['vip'], 'plan', '"pro"']);
  });

  it('never puts values into the SQL text', () => {
    const sql = segmentSql({ attributes: { "x'; DROP TABLE customers; --": { eq: "'; DROP" } } });
    expect(sql.where).not.toContain('DROP');
  });
});

describe('segmentSchema', () => {
  it.each([
    [{ tier: 'gold' }, 'tier'],
    [{ attributes: { plan: { like: 'x' } } }, 'attributes'],
    [{ attributes: { plan: {} } }, 'attributes'],
    [{ attributes: { 'bad key!': { eq: 1 } } }, 'attributes'],
    [{ rfm: { minR: 6 } }, 'rfm'],
    [{ lastContactAfter: 'last week' }, 'lastContactAfter'],
    [{ unknown: 1 }, 'unknown'],
  ])('refuses %j', (segment, field) => {
    const r = segmentSchema.safeParse(segment);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain(field);
  });

  it('says what a tier and an attribute value may be', () => {
    const r = segmentSchema.safeParse({ tier: ['core', 'gold'] });
    expect(r.error?.issues.map((i) => i.message)).toEqual([
      'must be one of core, potential, regular, edge, or a list of them',
    ]);
    const list = segmentSchema.safeParse({ attributes: { plan: { eq: ['pro'] } } });
    expect(list.error?.issues.map((i) => i.message)).toEqual([
      'must be a string, a number, true, false or null',
    ]);
  });
});
