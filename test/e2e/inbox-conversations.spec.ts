import { io, type Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { AuditService } from '../../src/audit/audit.service';
import { TAG_FILTER } from '../../src/inbox/conversation-search.sql';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
let seq = 0;
const phone = () => `+861380013${String(8000 + ++seq).padStart(4, '0')}`;

async function smsIn(from: string, text: string) {
  const r = await app.api('POST', '/api/v1/sandbox/inbound', { channel: 'sms', from, text });
  expect(r.status).toBeLessThan(300);
  return r.body as { id: string; conversation: { id: string; customerId: string } };
}

function agentSocket(token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = io(`${app.url}/agents`, {
      auth: { token },
      transports: ['websocket'],
      forceNew: true,
    });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

describe('Inbox conversations API', () => {
  it('lists conversations with filters and finds Chinese and English text', async () => {
    const a = await smsIn(phone(), '我的订单还没有到，请帮忙查询退款进度');
    const b = await smsIn(phone(), 'Where is my parcel? Tracking says delayed');
    const zh = await app.api('GET', `/api/v1/conversations?q=${encodeURIComponent('退款')}`);
    expect(zh.status).toBe(200);
    expect(zh.body.items.map((c: { id: string }) => c.id)).toEqual([a.conversation.id]);
    expect(zh.body.items[0].customer.displayName).toBeTruthy();
    const en = await app.api('GET', '/api/v1/conversations?q=PARCEL&status=open&channel=sms');
    expect(en.body.items.map((c: { id: string }) => c.id)).toEqual([b.conversation.id]);
    const none = await app.api('GET', '/api/v1/conversations?assignee=none&channel=email');
    expect(none.body.items).toEqual([]);
  });

  it('filters by tag, and the filter is one the tags index answers', async () => {
    const vip = await smsIn(phone(), 'tagged vip');
    const both = await smsIn(phone(), 'tagged vip and billing');
    const other = await smsIn(phone(), 'tagged billing');
    await smsIn(phone(), 'not tagged');
    for (const [c, tags] of [
      [vip, ['vip']],
      [both, ['billing', 'vip']],
      [other, ['billing']],
    ] as const) {
      const r = await app.api('POST', `/api/v1/conversations/${c.conversation.id}/tags`, { tags });
      expect(r.status).toBe(200);
    }
    const ids = async (tag: string) =>
      (await app.api('GET', `/api/v1/conversations?tag=${tag}`)).body.items
        .map((c: { id: string }) => c.id)
        .sort();
    expect(await ids('vip')).toEqual([vip.conversation.id, both.conversation.id].sort());
    expect(await ids('billing')).toEqual([both.conversation.id, other.conversation.id].sort());
    expect(await ids('nobody')).toEqual([]);
    // Untagged conversations are not in the index, and the filter's form is one it serves.
    const db = app.hub.app.get(DataSource);
    const plan = await db.transaction(async (m) => {
      await m.query(`SET LOCAL enable_seqscan = off`);
      return (await m.query(`EXPLAIN SELECT id FROM conversations c WHERE ${TAG_FILTER('$1')}`, [
        'vip',
      ])) as Array<{ 'QUERY PLAN': string }>;
    });
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/conversations_tags/);
    const [index] = (await db.query(
      `SELECT indexdef FROM pg_indexes WHERE indexname = 'conversations_tags'`,
    )) as Array<{ indexdef: string }>;
    expect(index.indexdef).toMatch(/WHERE \(tags <> '\{\}'::text\[\]\)/);
  });

  it('pages with a keyset cursor without repeating rows', async () => {
    for (let i = 0; i < 3; i++) await smsIn(phone(), `page test ${i}`);
    const first = await app.api('GET', '/api/v1/conversations?limit=2');
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await app.api(
      'GET',
      `/api/v1/conversations?limit=2&cursor=${first.body.nextCursor}`,
    );
    const ids = [...first.body.items, ...second.body.items].map((c: { id: string }) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect((await app.api('GET', '/api/v1/conversations?cursor=garbage')).status).toBe(400);
    const stranger = await app.api('GET', '/api/v1/conversations?assignee=bob');
    expect(stranger.status).toBe(400);
    expect(stranger.body.message).toBe('assignee: must be me, none or an agent id');
  });

  it('replies on the last inbound channel into the sandbox outbox; the view lists messages oldest first', async () => {
    const from = phone();
    const inbound = await smsIn(from, 'hello, need help');
    const id = inbound.conversation.id;
    const r = await app.api('POST', `/api/v1/conversations/${id}/replies`, {
      text: 'Happy to help!',
    });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({
      messageId: expect.any(String),
      status: 'queued',
      route: { channel: 'sms' },
    });
    await eventually(async () => {
      const out = await app.api(
        'GET',
        `/api/v1/sandbox/outbox?channel=sms&to=${encodeURIComponent(from)}`,
      );
      return out.body.items.some((i: { text: string }) => i.text === 'Happy to help!');
    }, 'the SMS in the sandbox outbox');
    const view = await app.api('GET', `/api/v1/conversations/${id}`);
    expect(view.status).toBe(200);
    expect(view.body.messages.map((m: { text: string }) => m.text)).toEqual([
      'hello, need help',
      'Happy to help!',
    ]);
    expect(view.body.customer.identities[0]).toMatchObject({ channel: 'sms', address: from });
  });

  it('keeps notes internal and notifies @mentioned agents', async () => {
    const from = phone();
    const { conversation } = await smsIn(from, 'note test');
    const mentioned = await app.userToken('agent', 'Lily Chen');
    const sock = await agentSocket(mentioned.token);
    try {
      const got = new Promise<{ conversationId: string }>((resolve) =>
        sock.once('mention', resolve),
      );
      const r = await app.api('POST', `/api/v1/conversations/${conversation.id}/notes`, {
        text: 'ping @lily about this',
      });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({
        kind: 'note',
        direction: 'outbound',
        status: 'delivered',
        channel: null,
      });
      expect((await got).conversationId).toBe(conversation.id);
      const out = await app.api('GET', `/api/v1/sandbox/outbox?to=${encodeURIComponent(from)}`);
      expect(out.body.items).toEqual([]);
    } finally {
      sock.disconnect();
    }
  });

  it('notifies a Chinese name written without a space after it (@王芳请看)', async () => {
    const { conversation } = await smsIn(phone(), 'mention in Chinese');
    const wang = await app.userToken('agent', '王芳');
    const other = await app.userToken('agent', '王芳芳');
    const wangSock = await agentSocket(wang.token);
    const otherSock = await agentSocket(other.token);
    const heardByOther: unknown[] = [];
    otherSock.on('mention', (e: unknown) => heardByOther.push(e));
    try {
      const got = new Promise<{ conversationId: string; by: { name: string } }>((resolve) =>
        wangSock.once('mention', resolve),
      );
      const r = await app.api('POST', `/api/v1/conversations/${conversation.id}/notes`, {
        text: '@王芳请看一下这个客户的退款',
      });
      expect(r.status).toBe(201);
      const mention = await got;
      expect(mention.conversationId).toBe(conversation.id);
      // 王芳芳 was not named; her socket got nothing by the time 王芳's event arrived (same emit).
      expect(heardByOther).toEqual([]);
    } finally {
      wangSock.disconnect();
      otherSock.disconnect();
    }
  });

  it('snoozes and reopens on a new inbound message; a resolved conversation still takes a reply', async () => {
    const from = phone();
    const { conversation } = await smsIn(from, 'snooze me');
    const until = new Date(Date.now() + 3600_000).toISOString();
    const s = await app.api('POST', `/api/v1/conversations/${conversation.id}/status`, {
      status: 'snoozed',
      snoozeUntil: until,
    });
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ status: 'snoozed', snoozedUntil: until });
    await smsIn(from, 'still there?');
    expect((await app.api('GET', `/api/v1/conversations/${conversation.id}`)).body.status).toBe(
      'open',
    );
    expect(
      (
        await app.api('POST', `/api/v1/conversations/${conversation.id}/status`, {
          status: 'resolved',
        })
      ).body.status,
    ).toBe('resolved');
    const reply = await app.api('POST', `/api/v1/conversations/${conversation.id}/replies`, {
      text: 'One more thing',
    });
    expect(reply.status).toBe(202);
    // The CSAT request sent on resolve may land before or after the reply: find it by id.
    const view = await app.api('GET', `/api/v1/conversations/${conversation.id}`);
    expect(view.body.status).toBe('resolved');
    expect(
      view.body.messages.find((m: { id: string }) => m.id === reply.body.messageId),
    ).toMatchObject({ text: 'One more thing', direction: 'outbound' });
  });

  it('wakes a snoozed conversation at its time', async () => {
    const { conversation } = await smsIn(phone(), 'wake me');
    const until = new Date(Date.now() + 1500).toISOString();
    const snoozed = await app.api('POST', `/api/v1/conversations/${conversation.id}/status`, {
      status: 'snoozed',
      snoozeUntil: until,
    });
    expect(snoozed.status).toBe(200);
    expect(snoozed.body).toMatchObject({ status: 'snoozed', snoozedUntil: until });
    await eventually(
      async () =>
        (await app.api('GET', `/api/v1/conversations/${conversation.id}`)).body.status === 'open',
      'the snoozed conversation to reopen',
      20_000,
    );
  });

  it('lands two agents replying at once, in order', async () => {
    const { conversation } = await smsIn(phone(), 'two agents');
    const a = await app.userToken('agent');
    const b = await app.userToken('agent');
    const [ra, rb] = await Promise.all([
      app.api(
        'POST',
        `/api/v1/conversations/${conversation.id}/replies`,
        { text: 'from A' },
        a.token,
      ),
      app.api(
        'POST',
        `/api/v1/conversations/${conversation.id}/replies`,
        { text: 'from B' },
        b.token,
      ),
    ]);
    expect([ra.status, rb.status]).toEqual([202, 202]);
    const view = await app.api('GET', `/api/v1/conversations/${conversation.id}`);
    const outs = view.body.messages.filter(
      (m: { direction: string }) => m.direction === 'outbound',
    );
    expect(outs.map((m: { text: string }) => m.text).sort()).toEqual(['from A', 'from B']);
    const seqs = outs.map((m: { seq: string }) => Number(m.seq));
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
  });

  it('refuses bad input with a 4xx naming the field', async () => {
    const { conversation } = await smsIn(phone(), 'bad input');
    const base = `/api/v1/conversations/${conversation.id}`;
    const empty = await app.api('POST', `${base}/replies`, { text: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.message).toMatch(/text/);
    const big = await app.api('POST', `${base}/replies`, { text: 'x'.repeat(10_001) });
    expect(big.status).toBe(400);
    expect(big.body.message).toMatch(/text/);
    const noIdentity = await app.api('POST', `${base}/replies`, {
      text: 'by mail',
      channel: 'email',
    });
    expect(noIdentity.status).toBe(422);
    expect(noIdentity.body.message).toMatch(/channel/);
    const snooze = await app.api('POST', `${base}/status`, { status: 'snoozed' });
    expect(snooze.status).toBe(400);
    expect(snooze.body.message).toMatch(/snoozeUntil/);
    expect((await app.api('POST', `${base}/assign`, {})).status).toBe(400);
    expect((await app.api('GET', '/api/v1/conversations/not-a-uuid')).status).toBe(400);
    expect(
      (await app.api('GET', '/api/v1/conversations/00000000-0000-4000-8000-000000000000')).status,
    ).toBe(404);
  });

  it('assigns manually and audits it', async () => {
    const { conversation } = await smsIn(phone(), 'assign me');
    const agent = await app.userToken('agent');
    const r = await app.api('POST', `/api/v1/conversations/${conversation.id}/assign`, {
      agentId: agent.id,
    });
    expect(r.status).toBe(200);
    expect(r.body.assigneeId).toBe(agent.id);
    const mine = await app.api('GET', '/api/v1/conversations?assignee=me', undefined, agent.token);
    expect(mine.body.items.map((c: { id: string }) => c.id)).toContain(conversation.id);
    const audit = (await app.hub.app
      .get(AuditService)
      .list('conversation', conversation.id)) as Array<{ action: string }>;
    expect(audit.map((a) => a.action)).toContain('conversation.assign');
  });
});
