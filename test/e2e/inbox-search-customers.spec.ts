import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;

interface Matched {
  id: string;
  displayName: string;
  matched: { field: string; value: string };
}

async function search(q: string, token?: string) {
  const r = await app.api(
    'GET',
    `/api/v1/conversations?q=${encodeURIComponent(q)}&limit=50`,
    undefined,
    token,
  );
  expect(r.status).toBe(200);
  return {
    ids: (r.body.items as { id: string }[]).map((c) => c.id),
    customers: r.body.customers as Matched[],
  };
}

async function customer(displayName: string, identities: { channel: string; address: string }[]) {
  const r = await app.api('POST', '/api/v1/customers', { displayName, identities });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

async function inbound(channel: string, from: string, text: string): Promise<string> {
  const r = await app.api('POST', '/api/v1/sandbox/inbound', { channel, from, text });
  expect(r.status).toBeLessThan(300);
  return r.body.conversation.id as string;
}

let chen: string;
let chenConversation: string;
let wangConversation: string;
let mentionConversation: string;

beforeAll(async () => {
  app = await startTestApp();
  chen = await customer('陈静', [
    { channel: 'sms', address: '+8613800138000' },
    { channel: 'email', address: 'Chen.Jing@Example.cn' },
    { channel: 'wechat', address: 'oWx_ChenJing_2024' },
  ]);
  await customer('王芳', [{ channel: 'sms', address: '+8613900139000' }]);
  // A customer without any conversation is not shown: search lists what the user can open.
  await customer('陈静文', [{ channel: 'sms', address: '+8613700137000' }]);
  chenConversation = await inbound('sms', '+8613800138000', '你好，我的订单还没到');
  wangConversation = await inbound('sms', '+8613900139000', 'where is my parcel?');
  // Message text naming her still matches, alongside her own conversation.
  mentionConversation = await inbound('sms', '+8613600136000', '我是陈静的同事，帮她问一下');
});
afterAll(async () => {
  await app?.close();
});

describe('Inbox search by customer', () => {
  it('finds a customer by two Chinese characters of the name, with message-text matches', async () => {
    const r = await search('陈静');
    expect(r.ids.sort()).toEqual([chenConversation, mentionConversation].sort());
    expect(r.customers).toEqual([
      {
        id: chen,
        displayName: '陈静',
        matched: { field: 'name', value: '陈静' },
        conversationId: chenConversation,
      },
    ]);
    // One character, and a longer term through the index path, find her too.
    expect((await search('静')).ids).toContain(chenConversation);
    expect((await search('陈静 ')).ids).toContain(chenConversation);
    expect((await search('王芳')).ids).toEqual([wangConversation]);
  });

  it('finds a customer by a phone typed in national or international format, or its last digits', async () => {
    for (const typed of ['138 0013 8000', '+86 138-0013-8000', '13800138000', '0138000']) {
      const r = await search(typed);
      expect({ typed, ids: r.ids }).toEqual({ typed, ids: [chenConversation] });
      expect(r.customers.map((c) => [c.id, c.matched])).toEqual([
        [chen, { field: 'phone', value: '+8613800138000' }],
      ]);
    }
    expect((await search('9000')).ids).toEqual([wangConversation]);
    expect((await search('139 0013 8000')).ids).toEqual([]);
  });

  it('finds a customer by part of an e-mail address or WeChat id, whatever the case', async () => {
    for (const typed of ['chen.jing@', 'CHEN.JING@EXAMPLE.CN', 'example.cn']) {
      const r = await search(typed);
      expect({ typed, ids: r.ids }).toEqual({ typed, ids: [chenConversation] });
      expect(r.customers[0]?.matched).toEqual({ field: 'email', value: 'chen.jing@example.cn' });
    }
    const wechat = await search('chenjing_2024');
    expect(wechat.ids).toEqual([chenConversation]);
    expect(wechat.customers[0]?.matched).toEqual({ field: 'wechat', value: 'oWx_ChenJing_2024' });
  });

  it('keeps to the scope: an agent of another team sees neither the conversation nor the customer', async () => {
    const db = app.hub.app.get(DataSource);
    const team = await app.api('POST', '/api/v1/teams', { name: 'vip-desk' });
    const other = await app.api('POST', '/api/v1/teams', { name: 'other-desk' });
    await db.query(`UPDATE conversations SET team_id = $1, assignee_id = NULL WHERE id = $2`, [
      team.body.id,
      chenConversation,
    ]);
    const outsider = await app.userToken('agent');
    await app.api('POST', `/api/v1/teams/${other.body.id}/members`, { userId: outsider.id });
    const member = await app.userToken('agent');
    await app.api('POST', `/api/v1/teams/${team.body.id}/members`, { userId: member.id });

    for (const typed of ['陈静', '138 0013 8000', 'chen.jing', 'chenjing_2024']) {
      const hidden = await search(typed, outsider.token);
      expect({ typed, hidden }).toEqual({
        typed,
        hidden: { ids: typed === '陈静' ? [mentionConversation] : [], customers: [] },
      });
      const seen = await search(typed, member.token);
      expect({ typed, ids: seen.ids }).toEqual({
        typed,
        ids: expect.arrayContaining([chenConversation]),
      });
      expect(seen.customers.map((c) => c.id)).toEqual([chen]);
    }
  });

  it('shows the matched customers on the first page only', async () => {
    const first = await app.api(
      'GET',
      `/api/v1/conversations?q=${encodeURIComponent('陈静')}&limit=1`,
    );
    expect(first.body.customers).toHaveLength(1);
    const next = await app.api(
      'GET',
      `/api/v1/conversations?q=${encodeURIComponent('陈静')}&limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(next.status).toBe(200);
    expect(next.body.customers).toBeUndefined();
    expect(next.body.items).toHaveLength(1);
  });
});
