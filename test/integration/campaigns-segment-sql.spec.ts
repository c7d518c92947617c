import { Client } from 'pg';
import {
  matchesSegment,
  segmentSchema,
  segmentSql,
  type Segment,
  type SegmentCustomer,
} from '../../src/campaigns/segment';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

let db: TestDatabase;
let pg: Client;
const people: Array<{ id: string; c: SegmentCustomer }> = [];

type LedgerEntry = { channel: string; purpose: string; status: 'granted' | 'revoked' };
/** The consent ledger in order; matchesSegment reads its latest entry per channel and purpose. */
const latestOf = (ledger: LedgerEntry[]): LedgerEntry[] =>
  ledger.filter(
    (e, i) => !ledger.slice(i + 1).some((l) => l.channel === e.channel && l.purpose === e.purpose),
  );

const fixtures: Array<SegmentCustomer & { erased?: boolean; ledger?: LedgerEntry[] }> = [
  {
    tags: ['vip', 'beta'],
    tier: 'core',
    attributes: { plan: 'pro', spend: 150, active: true },
    lastContactAt: new Date('2026-06-01T00:00:00Z'),
    rfm: { r: 5, f: 4, m: 5, churnRisk: false },
    ledger: [
      { channel: 'email', purpose: 'marketing', status: 'granted' },
      { channel: 'sms', purpose: 'marketing', status: 'granted' },
    ],
  },
  {
    tags: ['vip'],
    tier: null,
    attributes: { plan: 'free', spend: 20, note: null },
    lastContactAt: null,
    rfm: null,
    ledger: [
      { channel: 'email', purpose: 'marketing', status: 'granted' },
      { channel: 'email', purpose: 'marketing', status: 'revoked' },
      { channel: 'email', purpose: 'service', status: 'granted' },
    ],
  },
  {
    tags: [],
    tier: 'edge',
    attributes: {},
    lastContactAt: new Date('2025-01-01T00:00:00Z'),
    rfm: { r: 1, f: 1, m: 1, churnRisk: true },
    ledger: [
      { channel: 'email', purpose: 'marketing', status: 'revoked' },
      { channel: 'email', purpose: 'marketing', status: 'granted' },
      { channel: 'wechat', purpose: 'marketing', status: 'revoked' },
    ],
  },
  {
    tags: ['beta'],
    tier: 'regular',
    attributes: { plan: 'pro', spend: '150', nested: { a: 1 } },
    lastContactAt: new Date('2026-09-01T00:00:00Z'),
    rfm: { r: 2, f: 3, m: 3, churnRisk: false },
  },
  {
    tags: ['vip'],
    tier: 'core',
    attributes: { plan: 'team', spend: 99.5, active: false },
    lastContactAt: new Date('2026-03-01T00:00:00Z'),
    rfm: null,
  },
  {
    tags: ['vip'],
    tier: 'core',
    attributes: { plan: 'pro' },
    lastContactAt: null,
    rfm: null,
    erased: true,
  },
];

const segments: Segment[] = [
  {},
  { tags: ['vip'] },
  { tags: ['vip', 'beta'] },
  { tier: 'core' },
  { tier: ['edge', 'regular'] },
  { attributes: { plan: { eq: 'pro' } } },
  { attributes: { plan: { ne: 'pro' } } },
  { attributes: { plan: { in: ['team', 'free'] } } },
  { attributes: { spend: { gte: 100 } } },
  { attributes: { spend: { gt: 20, lt: 100 } } },
  { attributes: { note: { eq: null } } },
  { attributes: { note: { exists: false } } },
  { attributes: { active: { eq: false } } },
  { attributes: { nested: { eq: 1 } } },
  { lastContactBefore: '2026-05-01T00:00:00Z' },
  { lastContactAfter: '2026-05-01T00:00:00Z' },
  { rfm: { minR: 2 } },
  { rfm: { churnRisk: true } },
  { tier: 'core', rfm: { churnRisk: false } },
  { tier: ['core', 'edge'], rfm: { churnRisk: true } },
  { tags: ['vip'], attributes: { plan: { eq: 'pro' }, spend: { gte: 100 } }, rfm: { minM: 4 } },
  { consent: [{ channel: 'email', purpose: 'marketing', status: 'granted' }] },
  { consent: [{ channel: 'email', purpose: 'marketing', status: 'revoked' }] },
  { consent: [{ channel: 'email', purpose: 'marketing', status: 'none' }] },
  { consent: [{ channel: 'email', purpose: 'service', status: 'granted' }] },
  { consent: [{ channel: 'wechat', purpose: 'marketing', status: 'none' }] },
  {
    tags: ['vip'],
    consent: [
      { channel: 'email', purpose: 'marketing', status: 'granted' },
      { channel: 'sms', purpose: 'marketing', status: 'granted' },
    ],
  },
  {
    rfm: { churnRisk: true },
    consent: [{ channel: 'wechat', purpose: 'marketing', status: 'revoked' }],
  },
];

beforeAll(async () => {
  db = await createTestDatabase();
  pg = new Client({ connectionString: db.url });
  await pg.connect();
  for (const [i, f] of fixtures.entries()) {
    const [row] = (
      await pg.query(
        `INSERT INTO customers (display_name, tags, tier, attributes, last_contact_at, erased_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [
          `S ${i}`,
          f.tags,
          f.rfm ? null : f.tier,
          JSON.stringify(f.attributes),
          f.lastContactAt,
          f.erased ? new Date() : null,
        ],
      )
    ).rows as Array<{ id: string }>;
    if (f.rfm) {
      await pg.query(
        `INSERT INTO rfm_scores (customer_id, r_score, f_score, m_score, tier, churn_risk) VALUES ($1, $2, $3, $4, $5, $6)`,
        [row.id, f.rfm.r, f.rfm.f, f.rfm.m, f.tier, f.rfm.churnRisk],
      );
    }
    for (const e of f.ledger ?? [])
      await pg.query(
        `INSERT INTO consents (customer_id, channel, purpose, status, source) VALUES ($1, $2, $3, $4, 'test')`,
        [row.id, e.channel, e.purpose, e.status],
      );
    if (!f.erased) people.push({ id: row.id, c: { ...f, consent: latestOf(f.ledger ?? []) } });
  }
});
afterAll(async () => {
  await pg?.end();
  await db?.drop();
});

describe('segmentSql', () => {
  it.each(segments.map((s) => [JSON.stringify(s), s] as const))(
    'selects on PostgreSQL exactly whom matchesSegment selects: %s',
    async (_name, raw) => {
      const segment = segmentSchema.parse(raw);
      const sql = segmentSql(segment);
      const rows = (
        await pg.query(
          `SELECT c.id FROM customers c LEFT JOIN rfm_scores r ON r.customer_id = c.id WHERE ${sql.where} ORDER BY c.id`,
          sql.params,
        )
      ).rows as Array<{ id: string }>;
      const expected = people
        .filter((p) => matchesSegment(p.c, segment))
        .map((p) => p.id)
        .sort();
      expect(rows.map((r) => r.id).sort()).toEqual(expected);
    },
  );
});
