import { io, type Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { DomainEvents } from '../../src/events/domain-events';
import { NotificationsService } from '../../src/notifications/notifications.service';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
let seq = 0;
const phone = () => `+861390031${String(1000 + ++seq).padStart(4, '0')}`;
let sockets: Socket[] = [];

interface Note {
  id: string;
  kind: string;
  conversationId: string;
  messageId: string | null;
  data: Record<string, unknown>;
  readAt: string | null;
}
interface Sla {
  dueAt: string;
  kind: string;
  breachedAt?: string;
}

async function inbound(channel: 'sms' | 'email', from: string, text: string) {
  const r = await app.api('POST', '/api/v1/sandbox/inbound', { channel, from, text });
  expect(r.status).toBeLessThan(300);
  return r.body as { id: string; conversation: { id: string; customerId: string } };
}
function connect(token: string): Socket {
  const s = io(`${app.url}/agents`, {
    auth: { token },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  sockets.push(s);
  return s;
}
const connected = (s: Socket) =>
  new Promise<void>((resolve, reject) =>
    s.connected ? resolve() : (s.once('connect', () => resolve()), s.once('connect_error', reject)),
  );
const next = <T>(s: Socket, event: string, match: (e: T) => boolean = () => true) =>
  new Promise<T>((resolve) => {
    const fn = (e: T) => {
      if (match(e)) {
        s.off(event, fn);
        resolve(e);
      }
    };
    s.on(event, fn);
  });
const mine = async (token: string, query = '') =>
  (await app.api('GET', `/api/v1/notifications${query}`, undefined, token)).body as {
    items: Note[];
    nextCursor: string | null;
  };
const unread = async (token: string) =>
  (await app.api('GET', '/api/v1/notifications/unread-count', undefined, token)).body as {
    count: number;
    byKind: Record<string, number>;
  };
const of = (items: Note[], conversationId: string, kind: string) =>
  items.filter((n) => n.conversationId === conversationId && n.kind === kind);

beforeAll(async () => {
  app = await startTestApp();
});
afterEach(() => {
  // Offline agents take no automatic assignments: each test decides who holds what.
  for (const s of sockets) s.disconnect();
  sockets = [];
});
afterAll(async () => {
  await app?.close();
});

describe('Notification centre', () => {
  it('writes a mention for the mentioned user only, live and once, and marks it read', async () => {
    // Both before the mentioned agent is online: routing gives neither to them.
    const { conversation } = await inbound('sms', phone(), '请问发票开了吗');
    const second = await inbound('sms', phone(), 'another');
    const author = await app.userToken('supervisor', 'Nora Lead');
    const named = await app.userToken('agent', '王芳');
    const bystander = await app.userToken('agent', 'Otto Other');
    const s = connect(named.token);
    await connected(s);
    const live = next<Note>(s, 'notification', (n) => n.conversationId === conversation.id);
    const note = await app.api(
      'POST',
      `/api/v1/conversations/${conversation.id}/notes`,
      { text: '@王芳请看一下这个客户' },
      author.token,
    );
    expect(note.status).toBe(201);
    const pushed = await live;
    expect(pushed).toMatchObject({
      kind: 'mention',
      messageId: note.body.id,
      readAt: null,
      data: { by: 'Nora Lead' },
    });
    expect(typeof pushed.data.customer).toBe('string');

    const list = await mine(named.token);
    expect(of(list.items, conversation.id, 'mention')).toHaveLength(1);
    expect(list.items[0].id).toBe(pushed.id);
    expect(of((await mine(author.token)).items, conversation.id, 'mention')).toHaveLength(0);
    expect(of((await mine(bystander.token)).items, conversation.id, 'mention')).toHaveLength(0);

    // The same event again (a retry): still one row.
    app.hub.app.get(DomainEvents).emit('inbox.mention', {
      userIds: [named.id],
      conversationId: conversation.id,
      messageId: note.body.id,
      by: { id: author.id, name: 'Nora Lead' },
      text: '@王芳请看一下这个客户',
    });
    await app.api(
      'POST',
      `/api/v1/conversations/${second.conversation.id}/notes`,
      { text: '@王芳 this one too' },
      author.token,
    );
    await eventually(
      async () => of((await mine(named.token)).items, second.conversation.id, 'mention').length,
      'the later mention',
    );
    expect(of((await mine(named.token)).items, conversation.id, 'mention')).toHaveLength(1);
    expect(await unread(named.token)).toEqual({ count: 2, byKind: { mention: 2 } });

    // Someone else cannot mark it; its owner can.
    const foreign = await app.api(
      'POST',
      '/api/v1/notifications/read',
      { ids: [pushed.id] },
      bystander.token,
    );
    expect(foreign.body).toMatchObject({ updated: 0 });
    const own = await app.api(
      'POST',
      '/api/v1/notifications/read',
      { ids: [pushed.id] },
      named.token,
    );
    expect(own.body).toEqual({ updated: 1, count: 1 });
    expect((await mine(named.token, '?unread=true')).items.map((n) => n.id)).not.toContain(
      pushed.id,
    );
    expect((await mine(named.token)).items.find((n) => n.id === pushed.id)?.readAt).toEqual(
      expect.any(String),
    );
    const all = await app.api('POST', '/api/v1/notifications/read', { all: true }, named.token);
    expect(all.body).toEqual({ updated: 1, count: 0 });

    const bad = await app.api('POST', '/api/v1/notifications/read', {}, named.token);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/ids or all/);
    const page = await mine(named.token, '?limit=1');
    expect(page.items).toHaveLength(1);
    const rest = await mine(named.token, `?limit=1&cursor=${page.nextCursor}`);
    expect(rest.items[0].id).not.toBe(page.items[0].id);
  });

  it('tells an agent a colleague assigned them a conversation, not when they took it', async () => {
    const { conversation } = await inbound('sms', phone(), 'need help');
    const sup = await app.userToken('supervisor', 'Ada Boss');
    const agent = await app.userToken('agent', 'Bea Agent');
    const r = await app.api(
      'POST',
      `/api/v1/conversations/${conversation.id}/assign`,
      { agentId: agent.id },
      sup.token,
    );
    expect(r.status).toBe(200);
    const got = await eventually(
      async () => of((await mine(agent.token)).items, conversation.id, 'assignment')[0],
      'the assignment notification',
    );
    expect(got.data).toMatchObject({ by: 'Ada Boss' });
    const self = await inbound('sms', phone(), 'me');
    await app.api(
      'POST',
      `/api/v1/conversations/${self.conversation.id}/assign`,
      { agentId: agent.id },
      agent.token,
    );
    // The colleague's notification above arrived through the same listener: this one is not coming.
    await app.api(
      'POST',
      `/api/v1/conversations/${self.conversation.id}/assign`,
      { agentId: sup.id },
      agent.token,
    );
    await eventually(
      async () => of((await mine(sup.token)).items, self.conversation.id, 'assignment').length,
      'the supervisor assigned by the agent',
    );
    expect(of((await mine(agent.token)).items, self.conversation.id, 'assignment')).toHaveLength(0);
  });

  it('notifies the agent of a due follow-up', async () => {
    const { conversation } = await inbound('sms', phone(), 'call me back');
    const agent = await app.userToken('agent');
    await app.api(
      'POST',
      `/api/v1/conversations/${conversation.id}/status`,
      { status: 'resolved' },
      agent.token,
    );
    const f = await app.api(
      'POST',
      `/api/v1/conversations/${conversation.id}/follow-ups`,
      { at: new Date(Date.now() + 500).toISOString(), note: '回电话' },
      agent.token,
    );
    expect(f.status).toBe(201);
    const got = await eventually(
      async () => of((await mine(agent.token)).items, conversation.id, 'follow_up')[0],
      'the follow-up notification',
    );
    expect(got.data).toMatchObject({ note: '回电话' });
  });

  it('refuses marketers and lists nothing of others', async () => {
    const marketer = await app.userToken('marketer');
    expect((await app.api('GET', '/api/v1/notifications', undefined, marketer.token)).status).toBe(
      403,
    );
    const fresh = await app.userToken('agent');
    expect((await mine(fresh.token)).items).toEqual([]);
    expect(await unread(fresh.token)).toEqual({ count: 0, byKind: {} });
  });
});

describe('SLA on conversation views', () => {
  it('shows the next deadline in the list and the detail, the resolution one once answered', async () => {
    expect(
      (
        await app.api('POST', '/api/v1/sla-policies', {
          name: 'sms hour',
          channel: 'sms',
          firstResponseSeconds: 3600,
          resolutionSeconds: 7200,
        })
      ).status,
    ).toBe(201);
    const before = Date.now();
    const { conversation } = await inbound('sms', phone(), 'when does it ship?');
    const detail = await eventually(async () => {
      const d = (await app.api('GET', `/api/v1/conversations/${conversation.id}`)).body as {
        sla: Sla | null;
      };
      return d.sla ? d : null;
    }, 'the first-response deadline');
    expect(detail.sla!.kind).toBe('first_response');
    const due = Date.parse(detail.sla!.dueAt);
    expect(due).toBeGreaterThanOrEqual(before + 3600_000 - 1000);
    expect(due).toBeLessThan(Date.now() + 3600_000 + 1000);
    expect(detail.sla!.breachedAt).toBeUndefined();
    const list = (await app.api('GET', '/api/v1/conversations?status=open&limit=100')).body as {
      items: Array<{ id: string; sla: Sla | null }>;
    };
    expect(list.items.find((c) => c.id === conversation.id)?.sla).toEqual(detail.sla);

    await app.api('POST', `/api/v1/conversations/${conversation.id}/replies`, { text: '明天' });
    const answered = await eventually(async () => {
      const d = (await app.api('GET', `/api/v1/conversations/${conversation.id}`)).body as {
        sla: Sla | null;
      };
      return d.sla?.kind === 'resolution' ? d.sla : null;
    }, 'the resolution deadline after the reply');
    expect(Date.parse(answered.dueAt)).toBeGreaterThan(due);
    await app.api('POST', `/api/v1/conversations/${conversation.id}/status`, {
      status: 'resolved',
    });
    const resolved = (await app.api('GET', `/api/v1/conversations/${conversation.id}`)).body;
    await eventually(
      async () =>
        (await app.api('GET', `/api/v1/conversations/${conversation.id}`)).body.sla === null,
      'no deadline once resolved',
    );
    expect(resolved.status).toBe('resolved');
  });

  it('keeps a breach on the views after a reload and notifies supervisors once', async () => {
    expect(
      (
        await app.api('POST', '/api/v1/sla-policies', {
          name: 'email second',
          channel: 'email',
          firstResponseSeconds: 1,
        })
      ).status,
    ).toBe(201);
    const sup = await app.userToken('supervisor', 'Sla Watcher');
    const s = connect(sup.token);
    await connected(s);
    const live = next<Note>(s, 'notification', (n) => n.kind === 'sla_breach');
    const { conversation } = await inbound('email', `late${++seq}@example.com`, 'hello?');
    const pushed = await live;
    expect(pushed).toMatchObject({
      conversationId: conversation.id,
      data: { sla: 'first_response' },
    });
    s.disconnect();
    // A reload: fresh reads of the detail and the list still show the breach.
    const d = (await app.api('GET', `/api/v1/conversations/${conversation.id}`)).body as {
      sla: Sla | null;
    };
    expect(d.sla).toMatchObject({ kind: 'first_response', breachedAt: expect.any(String) });
    const list = (await app.api('GET', '/api/v1/conversations?channel=email&limit=100')).body as {
      items: Array<{ id: string; sla: Sla | null }>;
    };
    expect(list.items.find((c) => c.id === conversation.id)?.sla).toEqual(d.sla);
    // Answering late does not hide it.
    await app.api('POST', `/api/v1/conversations/${conversation.id}/replies`, { text: 'sorry' });
    const after = (await app.api('GET', `/api/v1/conversations/${conversation.id}`)).body;
    expect(after.sla).toMatchObject({ breachedAt: d.sla!.breachedAt });

    const stored = (await mine(sup.token)).items.filter((n) => n.kind === 'sla_breach');
    expect(stored).toHaveLength(1);
    // The breach event again (its key names the cycle): no second row.
    const [{ at }] = (await app.hub.app
      .get(DataSource)
      .query(`SELECT sla_cycle_at AS at FROM conversations WHERE id = $1`, [
        conversation.id,
      ])) as Array<{
      at: Date;
    }>;
    const events = app.hub.app.get(DomainEvents);
    const breach = {
      conversationId: conversation.id,
      policy: 'email second',
      teamId: null,
      assigneeId: null,
      cycleAt: new Date(at).toISOString(),
    };
    events.emit('sla.breached', { ...breach, kind: 'first_response' });
    events.emit('sla.breached', { ...breach, kind: 'resolution' });
    await eventually(
      async () =>
        (await mine(sup.token)).items.some(
          (n) => n.kind === 'sla_breach' && n.data.sla === 'resolution',
        ),
      'the distinct breach emitted after the repeat',
    );
    const breaches = (await mine(sup.token)).items.filter(
      (n) => n.kind === 'sla_breach' && n.data.sla === 'first_response',
    );
    expect(breaches).toHaveLength(1);
  });
});

describe('SLA warnings and retention', () => {
  it('warns supervisors of an unheld conversation before its deadline', async () => {
    // 901 s: the warning (15 min before the deadline) falls due a second after the cycle begins.
    expect(
      (
        await app.api('POST', '/api/v1/sla-policies', {
          name: 'wechat warn',
          channel: 'wechat',
          firstResponseSeconds: 901,
        })
      ).status,
    ).toBe(201);
    const sup = await app.userToken('supervisor', 'Warned Lead');
    const r = await app.api('POST', '/api/v1/sandbox/inbound', {
      channel: 'wechat',
      from: `wxid_warn_${++seq}`,
      text: 'anyone?',
    });
    const id = r.body.conversation.id as string;
    const warning = await eventually(
      async () => of((await mine(sup.token)).items, id, 'sla_warning')[0],
      'the SLA warning',
    );
    const detail = (await app.api('GET', `/api/v1/conversations/${id}`)).body as { sla: Sla };
    expect(warning.data).toMatchObject({ sla: 'first_response', dueAt: detail.sla.dueAt });
  });

  it('purges read notifications after 30 days and keeps unread ones', async () => {
    const db = app.hub.app.get(DataSource);
    const agent = await app.userToken('agent');
    const { conversation } = await inbound('sms', phone(), 'old news');
    await db.query(
      `INSERT INTO notifications (user_id, kind, conversation_id, key, read_at, created_at) VALUES
         ($1, 'mention', $2, 'old-read', now() - interval '31 days', now() - interval '40 days'),
         ($1, 'mention', $2, 'old-unread', NULL, now() - interval '40 days'),
         ($1, 'mention', $2, 'recent-read', now() - interval '1 day', now() - interval '2 days')`,
      [agent.id, conversation.id],
    );
    expect(await app.hub.app.get(NotificationsService).purge()).toBeGreaterThanOrEqual(1);
    const left = (await db.query(`SELECT key FROM notifications WHERE user_id = $1 ORDER BY key`, [
      agent.id,
    ])) as Array<{ key: string }>;
    expect(left.map((r) => r.key)).toEqual(['old-unread', 'recent-read']);
  });
});

describe('Team rooms', () => {
  it('sends a team conversation to an agent added to the team while connected', async () => {
    const sup = await app.userToken('supervisor');
    const agent = await app.userToken('agent');
    const team = await app.api('POST', '/api/v1/teams', { name: `live team ${++seq}` }, sup.token);
    expect(team.status).toBe(201);
    const { conversation } = await inbound('sms', phone(), 'for the team');
    const s = connect(agent.token);
    await connected(s);
    const added = await app.api(
      'POST',
      `/api/v1/teams/${team.body.id}/members`,
      { userId: agent.id },
      sup.token,
    );
    expect(added.status).toBe(200);
    const seen = next<{ conversation: { id: string; teamId: string } }>(
      s,
      'conversation.updated',
      (e) => e.conversation.id === conversation.id && e.conversation.teamId === team.body.id,
    );
    // Admitted only once the room is joined: the join is asynchronous, so retry the placement.
    let got: unknown = null;
    void seen.then((e) => (got = e));
    await eventually(async () => {
      await app.api(
        'POST',
        `/api/v1/conversations/${conversation.id}/assign`,
        { teamId: team.body.id },
        sup.token,
      );
      return got;
    }, "the team conversation on the new member's socket");
  });
});
