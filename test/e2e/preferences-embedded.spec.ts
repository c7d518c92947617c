import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DataSource } from 'typeorm';
import { bootstrap, type RunningHub } from '../../src/bootstrap';
import { eventually, hubCall } from '../support/test-app';

/**
 * Issue #20 on the embedded default (PGlite + the in-process queue): the preference centre, an
 * SMS 退订 through the sandbox, the contact budget's hold and a digest, as on PostgreSQL + Redis.
 */
describe('preferences, keywords, budget and digests on the embedded default', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-embedded-prefs-'));
  let hub: RunningHub;
  let token: string;
  let db: DataSource;
  const call = (method: string, path: string, body?: unknown) =>
    hubCall(hub, method, path, body, token);
  const local = (url: string) => url.replace(/^http:\/\/localhost:\d+/, hub.url);

  beforeAll(async () => {
    hub = await bootstrap({
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      START_SMTP_RECEIVER: 'false',
      ADMIN_EMAIL: 'owner@example.com',
      ADMIN_PASSWORD: 'owner-password',
      // 6 s: the digest's window ends within the test.
      DIGEST_WINDOW_MINUTES: '0.1',
    });
    expect(hub.config.embeddedDatabase && hub.config.inProcessQueue).toBe(true);
    db = hub.app.get(DataSource);
    token = (
      await hubCall(hub, 'POST', '/api/v1/auth/login', {
        email: 'owner@example.com',
        password: 'owner-password',
      })
    ).body.accessToken as string;
  });
  afterAll(async () => {
    await hub?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const consents = async (customerId: string, channel: string) =>
    (await db.query(
      `SELECT purpose, status, source FROM consents WHERE customer_id = $1 AND channel = $2 ORDER BY seq`,
      [customerId, channel],
    )) as Array<{ purpose: string; status: string; source: string }>;

  it('revokes consent from the preference centre page, with the page as the source', async () => {
    const c = await call('POST', '/api/v1/customers', {
      displayName: '陈静',
      locale: 'zh-CN',
      identities: [{ channel: 'email', address: 'chen.jing@example.com' }],
    });
    expect(c.status).toBe(201);
    const granted = await call('POST', `/api/v1/customers/${c.body.id}/consents`, {
      channel: 'email',
      purpose: 'marketing',
      status: 'granted',
      source: 'signup form',
    });
    expect(granted.status).toBe(201);
    const link = await call('POST', `/api/v1/customers/${c.body.id}/preference-link`);
    expect(link.status).toBe(200);
    const page = await fetch(local(link.body.url as string));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('联系方式偏好');
    const revoke = await fetch(`${local(link.body.url as string)}/consent`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ channel: 'email', purpose: 'marketing', status: 'revoked' }),
      redirect: 'manual',
    });
    expect(revoke.status).toBe(303);
    expect(await consents(c.body.id as string, 'email')).toEqual([
      { purpose: 'marketing', status: 'granted', source: 'signup form' },
      { purpose: 'marketing', status: 'revoked', source: 'preference-centre' },
    ]);
  });

  it('reads 退订 sent to the sandbox as an opt-out, and holds marketing while a conversation is open', async () => {
    const from = '+8613900008888';
    const first = await call('POST', '/api/v1/sandbox/inbound', {
      channel: 'sms',
      from,
      text: '你好，我的订单到哪了？',
    });
    expect(first.status).toBeLessThan(300);
    const customerId = first.body.conversation.customerId as string;
    const grant = await call('POST', `/api/v1/customers/${customerId}/consents`, {
      channel: 'sms',
      purpose: 'marketing',
      status: 'granted',
      source: 'test',
    });
    expect(grant.status).toBe(201);
    // The open support conversation holds marketing back, with the reason.
    const budget = await call('GET', `/api/v1/customers/${customerId}/contact-budget`);
    expect(budget.status).toBe(200);
    expect(budget.body.marketing.held).toBe(true);
    expect(budget.body.marketing.holds.map((h: { kind: string }) => h.kind)).toEqual([
      'openConversation',
    ]);

    const stop = await call('POST', '/api/v1/sandbox/inbound', {
      channel: 'sms',
      from,
      text: '退订',
    });
    expect(stop.status).toBeLessThan(300);
    const rows = await eventually(async () => {
      const r = await consents(customerId, 'sms');
      return r.some((x) => x.status === 'revoked') ? r : null;
    }, 'the SMS opt-out in the ledger');
    expect(rows.filter((r) => r.status === 'revoked').map((r) => r.purpose)).toContain('marketing');
  });

  it('sends the first low-urgency message at once and gathers the next ones into one digest', async () => {
    const c = await call('POST', '/api/v1/customers', {
      displayName: 'Digest Embedded',
      timezone: 'UTC',
      identities: [{ channel: 'email', address: 'digest.embedded@example.com' }],
    });
    expect(c.status).toBe(201);
    const shipped = (id: string) => ({
      customerId: c.body.id,
      topic: 'orders',
      urgency: 'low',
      purpose: 'service',
      template: 'order-shipped',
      data: {
        order: {
          id,
          carrier: 'SF',
          trackingUrl: `https://t.example/${id}`,
          total: 12.5,
          currency: 'CNY',
          shippedAt: '2025-03-10T04:00:00Z',
        },
      },
    });
    // The first goes at once; the next ones within the window wait for one digest.
    const sent: Array<{ messageId: string; status: string }> = [];
    for (const id of ['E-1', 'E-2', 'E-3']) {
      const r = await call('POST', '/api/v1/messages', shipped(id));
      expect(r.status).toBe(202);
      sent.push(r.body as { messageId: string; status: string });
    }
    expect(sent.map((m) => m.status)).toEqual(['queued', 'digested', 'digested']);
    const carried = await eventually(
      async () => {
        const rows = (await db.query(
          `SELECT id, metadata FROM messages WHERE customer_id = $1 AND template = 'digest'`,
          [c.body.id],
        )) as Array<{ id: string; metadata: { digest: { carried: string[] } } }>;
        return rows.length ? rows : null;
      },
      'the digest message',
      30_000,
    );
    expect(carried).toHaveLength(1);
    expect(carried[0].metadata.digest.carried).toEqual([sent[1].messageId, sent[2].messageId]);
    const firstNow = await call('GET', `/api/v1/messages/${sent[0].messageId}`);
    expect(firstNow.body.metadata?.digest?.messageId).toBeUndefined();
  });
});
