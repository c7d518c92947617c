import { io, type Socket } from 'socket.io-client';
import { AuditService } from '../../src/audit/audit.service';
import { TokenService } from '../../src/auth/token.service';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
let seq = 0;
const phone = () => `+861390013${String(7000 + ++seq).padStart(4, '0')}`;
const sockets: Socket[] = [];

async function smsIn(from: string, text: string) {
  const r = await app.api('POST', '/api/v1/sandbox/inbound', { channel: 'sms', from, text });
  expect(r.status).toBeLessThan(300);
  return r.body as { id: string; conversation: { id: string; customerId: string } };
}

function connect(token: string | null): Socket {
  const s = io(`${app.url}/agents`, {
    auth: token ? { token } : {},
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

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await app?.close();
});

describe('AgentsGateway', () => {
  it('pushes a new inbound message to a connected agent without polling', async () => {
    const agent = await app.userToken('agent');
    const s = connect(agent.token);
    await connected(s);
    const from = phone();
    const got = next<{
      message: { text: string };
      conversation: { customer: { displayName: string } };
    }>(s, 'message.created', (e) => e.message.text === 'live hello');
    await smsIn(from, 'live hello');
    const e = await got;
    expect(e.conversation.customer.displayName).toBe(from);
  });

  it('pushes a reply and its delivery status, never a message outside any conversation', async () => {
    const sup = await app.userToken('supervisor');
    const s = connect(sup.token);
    await connected(s);
    const seen: Array<{ event: string; id: string }> = [];
    s.on('message.created', (e: { message: { id: string } }) =>
      seen.push({ event: 'message.created', id: e.message.id }),
    );
    s.on('message.status', (e: { messageId: string }) =>
      seen.push({ event: 'message.status', id: e.messageId }),
    );
    const { conversation } = await smsIn(phone(), 'where is my parcel');
    const routed = await app.api('POST', '/api/v1/messages', {
      customerId: conversation.customerId,
      topic: 'orders',
      urgency: 'normal',
      purpose: 'transactional',
      template: 'order-shipped',
      data: { order: { id: 'A-1', carrier: 'SF', trackingUrl: 'https://t.example/A' } },
    });
    expect(routed.status).toBe(202);
    await eventually(async () => {
      const m = await app.api('GET', `/api/v1/messages/${routed.body.messageId}`);
      return m.body.status !== 'queued';
    }, 'the routed message sent');
    const replied = next<{ messageId: string; status: string }>(s, 'message.status');
    const reply = await app.api('POST', `/api/v1/conversations/${conversation.id}/replies`, {
      text: 'On its way',
    });
    expect(reply.status).toBeLessThan(300);
    const status = await replied;
    const replyId = (reply.body as { messageId: string }).messageId;
    expect(status.messageId).toBe(replyId);
    // Events reach a socket in order: the routed message's would have come before the reply's.
    expect(seen.filter((e) => e.id === routed.body.messageId)).toEqual([]);
    expect(seen.filter((e) => e.id === replyId).map((e) => e.event)).toEqual([
      'message.created',
      'message.status',
    ]);
  });

  it("names the author on a reply's and a note's live event, for the author and everyone else", async () => {
    const { conversation } = await smsIn(phone(), '请问发票开了吗');
    const author = await app.userToken('agent', '李娜');
    const sup = await app.userToken('supervisor', 'Sam Lead');
    const own = connect(author.token);
    const other = connect(sup.token);
    await Promise.all([connected(own), connected(other)]);
    type Created = { message: { id: string; kind: string; author: { id: string; name: string } } };
    const byKind = (s: Socket, kind: string) =>
      next<Created>(s, 'message.created', (e) => e.message.kind === kind && !!e.message.author);
    const replies = [byKind(own, 'message'), byKind(other, 'message')];
    const reply = await app.api(
      'POST',
      `/api/v1/conversations/${conversation.id}/replies`,
      { text: '已经开好了' },
      author.token,
    );
    expect(reply.status).toBe(202);
    for (const e of await Promise.all(replies)) {
      expect(e.message.id).toBe(reply.body.messageId);
      expect(e.message.author).toEqual({ id: author.id, name: '李娜' });
    }
    const notes = [byKind(own, 'note'), byKind(other, 'note')];
    await app.api(
      'POST',
      `/api/v1/conversations/${conversation.id}/notes`,
      { text: '已跟进' },
      author.token,
    );
    for (const e of await Promise.all(notes))
      expect(e.message.author).toEqual({ id: author.id, name: '李娜' });
    const read = await app.api('GET', `/api/v1/messages/${reply.body.messageId}`);
    expect(read.body.author).toEqual({ id: author.id, name: '李娜' });
  });

  it('relays typing and viewing to others on the same conversation only', async () => {
    const { conversation } = await smsIn(phone(), 'typing test');
    const a = await app.userToken('agent', 'Ann Typist');
    const b = await app.userToken('agent', 'Bob Watcher');
    const sa = connect(a.token);
    const sb = connect(b.token);
    await Promise.all([connected(sa), connected(sb)]);
    const bSeesA = next<{ agents: Array<{ id: string }> }>(sb, 'agent.viewing', (e) =>
      e.agents.some((x) => x.id === a.id),
    );
    sb.emit('view', { conversationId: conversation.id });
    await next(sb, 'agent.viewing');
    sa.emit('view', { conversationId: conversation.id });
    await bSeesA;
    const typing = next<{ agent: { id: string; name: string }; typing: boolean }>(
      sb,
      'agent.typing',
    );
    sa.emit('typing', { conversationId: conversation.id, typing: true });
    expect(await typing).toMatchObject({
      conversationId: conversation.id,
      agent: { id: a.id, name: 'Ann Typist' },
      typing: true,
    });
  });

  it('takes a view sent the moment the socket connects, while its token is still being checked', async () => {
    const { conversation } = await smsIn(phone(), 'view at once');
    const agent = await app.userToken('agent', 'Cai Quick');
    // The check takes a while (a loaded database): socket.io says "connected" before it ends.
    const tokens = app.hub.app.get(TokenService);
    const verify = tokens.verify.bind(tokens);
    const slow = jest.spyOn(tokens, 'verify').mockImplementation(async (t) => {
      await new Promise((r) => setTimeout(r, 300));
      return verify(t);
    });
    try {
      const s = connect(agent.token);
      const seen = next<{ agents: Array<{ id: string }> }>(s, 'agent.viewing', (e) =>
        e.agents.some((x) => x.id === agent.id),
      );
      s.on('connect', () => s.emit('view', { conversationId: conversation.id }));
      expect((await seen).agents.map((x) => x.id)).toContain(agent.id);
    } finally {
      slow.mockRestore();
    }
  });

  it('refuses a socket without a valid token and a marketer socket', async () => {
    const anon = connect(null);
    await next(anon, 'disconnect');
    const marketer = await app.userToken('marketer');
    const m = connect(marketer.token);
    await next(m, 'disconnect');
    expect(m.connected).toBe(false);
  });

  it('reports presence and goes offline when the last socket closes', async () => {
    const sup = await app.userToken('supervisor');
    const watcher = connect(sup.token);
    await connected(watcher);
    const agent = await app.userToken('agent');
    const online = next<{ agentId: string; status: string }>(
      watcher,
      'presence',
      (e) => e.agentId === agent.id && e.status === 'online',
    );
    const s1 = connect(agent.token);
    await online;
    const away = next<{ agentId: string; status: string }>(
      watcher,
      'presence',
      (e) => e.agentId === agent.id && e.status === 'away',
    );
    s1.emit('presence', { status: 'away' });
    await away;
    const offline = next<{ agentId: string; status: string }>(
      watcher,
      'presence',
      (e) => e.agentId === agent.id && e.status === 'offline',
    );
    s1.disconnect();
    await offline;
  });
});

describe('Visibility by role', () => {
  it('keeps team conversations from agents outside the team and all conversation content from marketers', async () => {
    const { conversation, customerId } = (await smsIn(phone(), 'team only')) as {
      conversation: { id: string };
      customerId?: string;
    } & { id: string };
    const team = await app.api('POST', '/api/v1/teams', { name: `billing-${Date.now()}` });
    expect(team.status).toBe(201);
    const member = await app.userToken('agent');
    const outsider = await app.userToken('agent');
    expect(
      (await app.api('POST', `/api/v1/teams/${team.body.id}/members`, { userId: member.id }))
        .status,
    ).toBe(200);
    expect(
      (
        await app.api('POST', `/api/v1/conversations/${conversation.id}/assign`, {
          teamId: team.body.id,
        })
      ).status,
    ).toBe(200);

    expect(
      (await app.api('GET', `/api/v1/conversations/${conversation.id}`, undefined, member.token))
        .status,
    ).toBe(200);
    const denied = await app.api(
      'GET',
      `/api/v1/conversations/${conversation.id}`,
      undefined,
      outsider.token,
    );
    expect(denied.status).toBe(403);
    const reply = await app.api(
      'POST',
      `/api/v1/conversations/${conversation.id}/replies`,
      { text: 'sneaky' },
      outsider.token,
    );
    expect(reply.status).toBe(403);
    const list = await app.api('GET', '/api/v1/conversations', undefined, outsider.token);
    expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(conversation.id);

    const marketer = await app.userToken('marketer');
    expect((await app.api('GET', '/api/v1/conversations', undefined, marketer.token)).status).toBe(
      403,
    );
    expect(
      (await app.api('GET', `/api/v1/conversations/${conversation.id}`, undefined, marketer.token))
        .status,
    ).toBe(403);
    const cid =
      customerId ??
      (await app.api('GET', `/api/v1/conversations/${conversation.id}`)).body.customerId;
    expect(
      (await app.api('GET', `/api/v1/customers/${cid}/export`, undefined, marketer.token)).status,
    ).toBe(403);
  });
});

describe('Customer export and erasure', () => {
  it('exports everything held, audits each export, and erases personal data keeping counts', async () => {
    const from = phone();
    const { conversation } = await smsIn(from, 'my secret address is 1 Main St');
    const customerId = (await app.api('GET', `/api/v1/conversations/${conversation.id}`)).body
      .customerId as string;
    await app.api('POST', `/api/v1/customers/${customerId}/consents`, {
      channel: 'sms',
      purpose: 'marketing',
      status: 'granted',
      source: 'test',
    });
    const exp = await app.api('GET', `/api/v1/customers/${customerId}/export`);
    expect(exp.status).toBe(200);
    expect(exp.body.identities[0].address).toBe(from);
    expect(exp.body.messages.map((m: { text: string }) => m.text)).toContain(
      'my secret address is 1 Main St',
    );
    expect(exp.body.consents).toHaveLength(1);
    await app.api('GET', `/api/v1/customers/${customerId}/export`);
    const audit = (await app.hub.app.get(AuditService).list('customer', customerId)) as Array<{
      action: string;
    }>;
    expect(audit.filter((a) => a.action === 'customer.export')).toHaveLength(2);

    const del = await app.api('DELETE', `/api/v1/customers/${customerId}`);
    expect(del.status).toBe(200);
    const after = await app.api('GET', `/api/v1/customers/${customerId}/export`);
    expect(after.body.identities).toEqual([]);
    expect(after.body.customer.display_name).not.toContain(from);
    expect(after.body.messages).toHaveLength(1);
    expect(after.body.messages[0].text).toBe('');
    expect(after.body.consents).toHaveLength(1);
  });
});

describe('SLA and CSAT', () => {
  it('puts one breach event on the timeline and tells supervisors', async () => {
    await app.api('POST', '/api/v1/sla-policies', {
      name: 'fast sms',
      channel: 'sms',
      firstResponseSeconds: 1,
    });
    const sup = await app.userToken('supervisor');
    const s = connect(sup.token);
    await connected(s);
    const breached = next<{ conversationId: string; kind: string }>(s, 'sla.breached');
    const { conversation } = await smsIn(phone(), 'nobody answers');
    expect(await breached).toMatchObject({
      conversationId: conversation.id,
      kind: 'first_response',
    });
    const view = await app.api('GET', `/api/v1/conversations/${conversation.id}`);
    expect(view.body.messages.filter((m: { kind: string }) => m.kind === 'event')).toHaveLength(1);
  });

  it('asks for a rating on resolve and records 满意', async () => {
    const from = phone();
    const { conversation } = await smsIn(from, 'thanks for the help');
    await app.api('POST', `/api/v1/conversations/${conversation.id}/replies`, {
      text: 'You are welcome',
    });
    await app.api('POST', `/api/v1/conversations/${conversation.id}/status`, {
      status: 'resolved',
    });
    await eventually(async () => {
      const out = await app.api(
        'GET',
        `/api/v1/sandbox/outbox?channel=sms&to=${encodeURIComponent(from)}`,
      );
      return out.body.items.some((i: { text: string }) => i.text.includes('1-5'));
    }, 'the CSAT request');
    await smsIn(from, '满意');
    const view = await app.api('GET', `/api/v1/conversations/${conversation.id}`);
    expect(view.body).toMatchObject({ csatScore: 5, status: 'resolved' });
  });

  it('reopens a conversation for the agent at a follow-up time and notifies them', async () => {
    const { conversation } = await smsIn(phone(), 'call me back');
    const agent = await app.userToken('agent');
    const s = connect(agent.token);
    await connected(s);
    const resolved = await app.api(
      'POST',
      `/api/v1/conversations/${conversation.id}/status`,
      { status: 'resolved' },
      agent.token,
    );
    expect(resolved.status).toBe(200);
    expect((await app.api('GET', `/api/v1/conversations/${conversation.id}`)).body.status).toBe(
      'resolved',
    );
    const due = next<{ conversationId: string }>(s, 'follow_up.due');
    const f = await app.api(
      'POST',
      `/api/v1/conversations/${conversation.id}/follow-ups`,
      { at: new Date(Date.now() + 1000).toISOString(), note: 'call back' },
      agent.token,
    );
    expect(f.status).toBe(201);
    expect((await due).conversationId).toBe(conversation.id);
    const view = await app.api('GET', `/api/v1/conversations/${conversation.id}`);
    expect(view.body).toMatchObject({ status: 'open', assigneeId: agent.id });
  });
});
