import { DataSource } from 'typeorm';
import type { TestApp } from './test-app';

/**
 * The customers the contacts tests filter (issue 19): each filter selects a known few.
 * - ann: vip, RFM core at risk, plan pro, e-mail marketing granted, WeChat marketing revoked
 * - bob: vip+beta, RFM core not at risk, plan free, e-mail marketing granted then revoked
 * - cai (陈静): RFM edge at risk, no consent at all, a WeChat id only
 * - dan: beta, own tier regular (not scored), SMS marketing granted
 * - eve: vip, erased (never listed)
 * - 25 `bulk` customers and 4 `csv` ones whose names a spreadsheet would run as formulas
 */
export interface ContactsSeed {
  ids: Record<'ann' | 'bob' | 'cai' | 'dan' | 'eve', string>;
  bulk: string[];
  csv: string[];
}

export const FORMULA_NAMES = ["=cmd|' /C calc'!A0", '+1', '-2', '@SUM(A1:A9)'];

export async function seedContacts(app: TestApp): Promise<ContactsSeed> {
  const db = app.hub.app.get(DataSource);
  const q = async (sql: string, params: unknown[] = []) =>
    (await db.query(sql, params)) as Array<{ id: string }>;
  const customer = async (
    name: string,
    fields: { tags?: string[]; tier?: string; attributes?: object; lastContact?: string } = {},
  ) =>
    (
      await q(
        `INSERT INTO customers (display_name, tags, tier, attributes, last_contact_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [
          name,
          fields.tags ?? [],
          fields.tier ?? null,
          JSON.stringify(fields.attributes ?? {}),
          fields.lastContact ?? null,
        ],
      )
    )[0].id;
  const identity = (id: string, kind: string, channel: string, address: string) =>
    q(
      `INSERT INTO customer_identities (customer_id, kind, channel, address) VALUES ($1, $2, $3, $4)`,
      [id, kind, channel, address],
    );
  const consent = (id: string, channel: string, status: string, purpose = 'marketing') =>
    q(
      `INSERT INTO consents (customer_id, channel, purpose, status, source) VALUES ($1, $2, $3, $4, 'test')`,
      [id, channel, purpose, status],
    );
  const rfm = (id: string, tier: string, churn: boolean) =>
    q(
      `INSERT INTO rfm_scores (customer_id, r_score, f_score, m_score, tier, churn_risk) VALUES ($1, 3, 3, 3, $2, $3)`,
      [id, tier, churn],
    );

  const ann = await customer('Ann Archer', {
    tags: ['vip'],
    attributes: { plan: 'pro', city: 'Shanghai' },
    lastContact: '2026-11-01T00:00:00Z',
  });
  await identity(ann, 'email', 'email', 'ann@example.com');
  await identity(ann, 'phone', 'sms', '+8613900001001');
  await consent(ann, 'email', 'granted');
  await consent(ann, 'wechat', 'revoked');
  await rfm(ann, 'core', true);

  const bob = await customer('Bob Baker', {
    tags: ['vip', 'beta'],
    attributes: { plan: 'free' },
    lastContact: '2026-06-01T00:00:00Z',
  });
  await identity(bob, 'email', 'email', 'bob@example.com');
  await consent(bob, 'email', 'granted');
  await consent(bob, 'email', 'revoked');
  await rfm(bob, 'core', false);

  const cai = await customer('陈静');
  await identity(cai, 'wechat', 'wechat', 'wx_chenjing');
  await rfm(cai, 'edge', true);

  const dan = await customer('Dan Dong', { tags: ['beta'], tier: 'regular' });
  await identity(dan, 'phone', 'sms', '+8613900001004');
  await consent(dan, 'sms', 'granted');

  const eve = await customer('Eve Erased', { tags: ['vip'] });
  await q(`UPDATE customers SET erased_at = now() WHERE id = $1`, [eve]);

  const bulk: string[] = [];
  for (let i = 0; i < 25; i++) bulk.push(await customer(`Bulk ${i}`, { tags: ['bulk'] }));
  const csv: string[] = [];
  for (const name of FORMULA_NAMES) csv.push(await customer(name, { tags: ['csv'] }));
  return { ids: { ann, bob, cai, dan, eve }, bulk, csv };
}
