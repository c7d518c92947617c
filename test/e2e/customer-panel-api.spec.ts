import { DataSource } from 'typeorm';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
let db: DataSource;

async function customer(
  displayName: string,
  identities: { channel: string; address: string }[],
  tags: string[] = [],
) {
  const r = await app.api('POST', '/api/v1/customers', { displayName, identities, tags });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

async function inbound(channel: string, from: string, text: string): Promise<string> {
  const r = await app.api('POST', '/api/v1/sandbox/inbound', { channel, from, text });
  expect(r.status).toBeLessThan(300);
  return r.body.conversation.id as string;
}

beforeAll(async () => {
  // Every resolved conversation stays closed: the customer's next message opens another.
  app = await startTestApp({ CONVERSATION_REOPEN_HOURS: '0' });
  db = app.hub.app.get(DataSource);
});
afterAll(async () => {
  await app?.close();
});

describe('GET /api/v1/customers/:id/duplicates', () => {
  it('suggests likely duplicates with their reasons, strongest first, and never the customer itself', async () => {
    const chen = await customer('陈静', [
      { channel: 'sms', address: '+8613800138000' },
      { channel: 'email', address: 'chen.jing@example.cn' },
    ]);
    const sameSuffix = await customer('陈静', [{ channel: 'sms', address: '+8613911118000' }]);
    const sameLocal = await customer('陈 静'.replace(' ', ''), [
      { channel: 'email', address: 'CHEN.JING@qq.com' },
    ]);
    const nameOnly = await customer('陈静', []);
    await customer('陈静怡', [{ channel: 'sms', address: '+8613711118000' }]);
    await customer('王芳', [{ channel: 'email', address: 'chen.jing@163.com' }]);

    const r = await app.api('GET', `/api/v1/customers/${chen}/duplicates`);
    expect(r.status).toBe(200);
    const got = (
      r.body.items as Array<{ customer: { id: string }; score: number; reasons: string[] }>
    ).map((s) => [s.customer.id, s.score, s.reasons]);
    expect(got).toEqual([
      [sameSuffix, 80, ['sameNameAndPhoneSuffix', 'sameName']],
      [sameLocal, 70, ['sameNameAndEmailLocalPart', 'sameName']],
      [nameOnly, 40, ['sameName']],
    ]);
    expect(r.body.items[0].customer).toMatchObject({
      displayName: '陈静',
      identities: [{ kind: 'phone', address: '+8613911118000' }],
    });
  });

  it('finds a full-width name written in another case', async () => {
    const a = await customer('ＬＩ Lei', []);
    const b = await customer('li lei', []);
    const r = await app.api('GET', `/api/v1/customers/${b}/duplicates`);
    expect(r.body.items.map((s: { customer: { id: string } }) => s.customer.id)).toEqual([a]);
  });

  it('answers 404 for an unknown customer and 400 for a malformed id', async () => {
    const missing = await app.api(
      'GET',
      '/api/v1/customers/00000000-0000-4000-8000-000000000000/duplicates',
    );
    expect(missing.status).toBe(404);
    expect((await app.api('GET', '/api/v1/customers/nope/duplicates')).status).toBe(400);
  });

  it('lets an agent read suggestions but not merge; a supervisor merges and the identities move', async () => {
    const a = await customer('赵磊', [{ channel: 'sms', address: '+8613812345678' }]);
    const b = await customer('赵磊', [{ channel: 'email', address: 'zhaolei@example.com' }]);
    const agent = await app.userToken('agent');
    const supervisor = await app.userToken('supervisor');
    const seen = await app.api('GET', `/api/v1/customers/${a}/duplicates`, undefined, agent.token);
    expect(seen.status).toBe(200);
    expect(seen.body.items[0].customer.id).toBe(b);
    const refused = await app.api(
      'POST',
      `/api/v1/customers/${a}/merge`,
      { duplicateId: b },
      agent.token,
    );
    expect(refused.status).toBe(403);
    const merged = await app.api(
      'POST',
      `/api/v1/customers/${a}/merge`,
      { duplicateId: b },
      supervisor.token,
    );
    expect(merged.status).toBe(201);
    expect(merged.body.identities.map((i: { address: string }) => i.address).sort()).toEqual([
      '+8613812345678',
      'zhaolei@example.com',
    ]);
    // The merged-away customer is no longer suggested.
    expect((await app.api('GET', `/api/v1/customers/${a}/duplicates`)).body.items).toEqual([]);
  });
});

describe('GET /api/v1/conversations?customerId=', () => {
  it("lists one customer's conversations, within the caller's teams", async () => {
    const phone = '+8613600136001';
    const first = await inbound('sms', phone, '第一次咨询');
    const cid = (await app.api('GET', `/api/v1/conversations/${first}`)).body.customer.id as string;
    expect(
      (await app.api('POST', `/api/v1/conversations/${first}/status`, { status: 'resolved' }))
        .status,
    ).toBe(200);
    const second = await inbound('sms', phone, '又有一个问题');
    expect(second).not.toBe(first);
    await inbound('sms', '+8613600136002', 'someone else');

    const all = await app.api('GET', `/api/v1/conversations?customerId=${cid}`);
    expect(all.status).toBe(200);
    expect(all.body.items.map((c: { id: string }) => c.id).sort()).toEqual([first, second].sort());

    const team = await app.api('POST', '/api/v1/teams', { name: 'panel-desk' });
    const other = await app.api('POST', '/api/v1/teams', { name: 'panel-other' });
    await db.query(`UPDATE conversations SET team_id = $1, assignee_id = NULL WHERE id = $2`, [
      team.body.id,
      first,
    ]);
    await db.query(`UPDATE conversations SET team_id = $1, assignee_id = NULL WHERE id = $2`, [
      other.body.id,
      second,
    ]);
    const member = await app.userToken('agent');
    await app.api('POST', `/api/v1/teams/${team.body.id}/members`, { userId: member.id });
    const mine = await app.api(
      'GET',
      `/api/v1/conversations?customerId=${cid}`,
      undefined,
      member.token,
    );
    expect(mine.body.items.map((c: { id: string }) => c.id)).toEqual([first]);

    const bad = await app.api('GET', '/api/v1/conversations?customerId=abc');
    expect(bad.status).toBe(400);
    expect(bad.body.message ?? JSON.stringify(bad.body)).toMatch(/customerId/);
  });
});

describe('GET /api/v1/customers/:id/campaigns', () => {
  it('lists the campaigns a customer received with channel, status and tracking', async () => {
    const id = await customer(
      '周敏',
      [{ channel: 'email', address: 'zhoumin@example.com' }],
      ['panel-campaign'],
    );
    expect(
      (
        await app.api('POST', `/api/v1/customers/${id}/consents`, {
          channel: 'email',
          purpose: 'marketing',
          status: 'granted',
          source: 'signup form',
        })
      ).status,
    ).toBe(201);
    const marketer = (await app.userToken('marketer')).token;
    const c = await app.api(
      'POST',
      '/api/v1/campaigns',
      {
        name: '双十一促销',
        segment: { tags: ['panel-campaign'] },
        topic: 'sale',
        purpose: 'marketing',
        urgency: 'normal',
        template: 'welcome',
        data: { offer: { percent: 10, code: 'TEN', until: '2030-01-01' } },
      },
      marketer,
    );
    expect(c.status).toBe(201);
    expect(
      (await app.api('POST', `/api/v1/campaigns/${c.body.id}/launch`, undefined, marketer)).status,
    ).toBe(202);
    await eventually(
      async () =>
        (await app.api('GET', `/api/v1/campaigns/${c.body.id}`, undefined, marketer)).body
          .status === 'completed',
      'campaign completed',
    );
    await db.query(
      `INSERT INTO tracking_events (campaign_id, customer_id, channel, kind) VALUES ($1, $2, 'email', 'open')`,
      [c.body.id, id],
    );
    const agent = await app.userToken('agent');
    const r = await app.api('GET', `/api/v1/customers/${id}/campaigns`, undefined, agent.token);
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual([
      expect.objectContaining({
        campaignId: c.body.id,
        name: '双十一促销',
        channel: 'email',
        status: 'sent',
        opened: true,
        clicked: false,
      }),
    ]);
    expect(Date.parse(r.body.items[0].sentAt)).not.toBeNaN();
    const missing = await app.api(
      'GET',
      '/api/v1/customers/00000000-0000-4000-8000-000000000000/campaigns',
    );
    expect(missing.status).toBe(404);
  });
});
