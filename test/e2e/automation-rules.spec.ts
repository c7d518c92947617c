import { createServer, type IncomingHttpHeaders, type Server } from 'http';
import type { AddressInfo } from 'net';
import { Webhook } from 'standardwebhooks';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
let seq = 0;
const nextPhone = () => `+861390013${String(9000 + seq++).padStart(4, '0')}`;

interface Msg {
  kind: string;
  direction: string;
  text: string | null;
  template?: string | null;
}
interface Conv {
  id: string;
  teamId: string | null;
  tags: string[];
  status: string;
  messages: Msg[];
}

const detail = async (id: string, token?: string) =>
  (await app.api<Conv>('GET', `/api/v1/conversations/${id}`, undefined, token)).body;
const inbound = async (from: string, text: string) => {
  const r = await app.api('POST', '/api/v1/sandbox/inbound', { channel: 'sms', from, text });
  expect(r.status).toBe(201);
  return r.body.conversation.id as string;
};
const createRule = async (body: Record<string, unknown>) => {
  const r = await app.api('POST', '/api/v1/automation-rules', body);
  expect(r.status).toBe(201);
  return r.body as { id: string; name: string };
};
const ruleById = async (id: string) =>
  (
    (await app.api('GET', '/api/v1/automation-rules')).body.items as Array<Record<string, any>>
  ).find((r) => r.id === id)!;
const firedEntries = (c: Conv, name: string) =>
  c.messages.filter((m) => m.kind === 'event' && m.text?.includes(`“${name}”`));
const team = async (body: Record<string, unknown>) =>
  (await app.api('POST', '/api/v1/teams', body)).body.id as string;

let receiver: Server;
const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];

beforeAll(async () => {
  app = await startTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true' });
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  receiver?.close();
  await app?.close();
});

describe('Automation rules, end to end', () => {
  it('refuses bad input with a 4xx naming the field', async () => {
    const base = { name: 'bad', event: 'message.received', actions: [{ type: 'resolve' }] };
    const cases: Array<[Record<string, unknown>, number, RegExp]> = [
      [{ ...base, event: 'message.exploded' }, 400, /event/],
      [{ ...base, conditions: [{ type: 'moonPhase', phase: 'full' }] }, 400, /conditions\.0/],
      [{ ...base, actions: [{ type: 'launchRocket' }] }, 400, /actions\.0/],
      [
        { ...base, actions: [{ type: 'assign', teamId: '00000000-0000-4000-8000-000000000001' }] },
        422,
        /actions\.0\.teamId: no team/,
      ],
      [
        { ...base, actions: [{ type: 'assign', agentId: '00000000-0000-4000-8000-000000000001' }] },
        422,
        /actions\.0\.agentId/,
      ],
      [
        { ...base, actions: [{ type: 'replyTemplate', template: 'no-such-template' }] },
        422,
        /actions\.0\.template: no template/,
      ],
      [
        { ...base, conditions: [{ type: 'team', teamId: '00000000-0000-4000-8000-000000000002' }] },
        422,
        /conditions\.0\.teamId/,
      ],
    ];
    for (const [body, status, message] of cases) {
      const r = await app.api('POST', '/api/v1/automation-rules', body);
      expect({ body, status: r.status }).toEqual({ body, status });
      expect(JSON.stringify(r.body)).toMatch(message);
    }
    const agent = await app.userToken('agent');
    expect((await app.api('POST', '/api/v1/automation-rules', base, agent.token)).status).toBe(403);
  });

  it('assigns Chinese-text messages to a team when a sandbox inbound arrives, and logs the firing', async () => {
    const zh = await team({ name: '中文组' });
    const rule = await createRule({
      name: '中文退款',
      event: 'message.received',
      conditions: [{ type: 'textContains', values: ['退款'] }],
      actions: [
        { type: 'assign', teamId: zh },
        { type: 'addLabels', labels: ['中文'] },
      ],
    });
    const id = await inbound(nextPhone(), '你好，我想申请退款');
    const c = await eventually(async () => {
      const d = await detail(id);
      return d.teamId === zh && d.tags.includes('中文') ? d : null;
    }, 'the Chinese message to go to the team');
    expect(firedEntries(c, '中文退款')).toHaveLength(1);
    const r = await ruleById(rule.id);
    expect(r.fireCount).toBe(1);
    expect(r.lastFiredAt).not.toBeNull();

    const other = await inbound(nextPhone(), 'I would like a refund');
    const d = await detail(other);
    expect(d.teamId).toBeNull();
    expect(firedEntries(d, '中文退款')).toHaveLength(0);
    await app.api('PATCH', `/api/v1/automation-rules/${rule.id}`, { active: false });
  });

  it('stops later rules after a stopAfter rule fired', async () => {
    const first = await createRule({
      name: 'stop-first',
      event: 'message.received',
      conditions: [{ type: 'textContains', values: ['STOPWORD'] }],
      actions: [{ type: 'addLabels', labels: ['first'] }],
      stopAfter: true,
    });
    const second = await createRule({
      name: 'stop-second',
      event: 'message.received',
      conditions: [{ type: 'textContains', values: ['stopword'] }],
      actions: [{ type: 'addLabels', labels: ['second'] }],
    });
    const id = await inbound(nextPhone(), 'this has a ＳＴＯＰＷＯＲＤ in it');
    const c = await eventually(async () => {
      const d = await detail(id);
      return d.tags.includes('first') ? d : null;
    }, 'the first rule to fire');
    expect(c.tags).not.toContain('second');
    expect(firedEntries(await detail(id), 'stop-second')).toHaveLength(0);
    expect((await ruleById(second.id)).fireCount).toBe(0);
    for (const r of [first, second])
      await app.api('PATCH', `/api/v1/automation-rules/${r.id}`, { active: false });
  });

  it('never re-fires a rule on the events its own actions cause (no loop)', async () => {
    const rule = await createRule({
      name: 'loop-guard',
      event: 'conversation.updated',
      conditions: [{ type: 'tags', tags: ['loop-test'] }],
      // Each action changes the labels and emits conversation.updated again.
      actions: [
        { type: 'addLabels', labels: ['ping'] },
        { type: 'removeLabels', labels: ['ping'] },
        { type: 'addLabels', labels: ['pong'] },
      ],
    });
    const id = await inbound(nextPhone(), 'loop me');
    expect(
      (await app.api('POST', `/api/v1/conversations/${id}/tags`, { tags: ['loop-test'] })).status,
    ).toBe(200);
    await eventually(async () => (await detail(id)).tags.includes('pong'), 'the rule to run');
    // Give a runaway loop the time of a few more round trips to show itself.
    for (let i = 0; i < 5; i++) await detail(id);
    expect((await ruleById(rule.id)).fireCount).toBe(1);
    expect(firedEntries(await detail(id), 'loop-guard')).toHaveLength(1);
    await app.api('PATCH', `/api/v1/automation-rules/${rule.id}`, { active: false });
  });

  it('ships the business-hours auto-reply: it replies outside the team hours only', async () => {
    const list = (await app.api('GET', '/api/v1/automation-rules')).body.items as Array<
      Record<string, any>
    >;
    const shipped = list.find((r) => r.name === 'Business-hours auto-reply')!;
    expect(shipped).toMatchObject({ event: 'message.received', active: false });
    expect(
      (await app.api('PATCH', `/api/v1/automation-rules/${shipped.id}`, { active: true })).status,
    ).toBe(200);
    const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const closed = await team({ name: 'Closed today', holidays: [day(-1), day(0), day(1)] });
    const open = await team({ name: 'Open all day' });

    const outside = nextPhone();
    const a = await inbound(outside, 'first');
    await app.api('POST', `/api/v1/conversations/${a}/assign`, { teamId: closed });
    await inbound(outside, 'are you there?');
    const replied = await eventually(async () => {
      const d = await detail(a);
      return d.messages.find((m) => m.direction === 'outbound' && m.kind === 'message') ?? null;
    }, 'the offline auto-reply');
    expect(replied.text).toMatch(/closed now/);

    const inside = nextPhone();
    const b = await inbound(inside, 'first');
    await app.api('POST', `/api/v1/conversations/${b}/assign`, { teamId: open });
    await inbound(inside, 'are you there?');
    await eventually(
      async () => (await detail(b)).messages.filter((m) => m.direction === 'inbound').length === 2,
      'the second message',
    );
    for (let i = 0; i < 3; i++) await detail(b);
    const d = await detail(b);
    expect(d.messages.filter((m) => m.direction === 'outbound' && m.kind === 'message')).toEqual(
      [],
    );
    await app.api('PATCH', `/api/v1/automation-rules/${shipped.id}`, { active: false });
  });
});

describe('Macros, end to end', () => {
  it('runs labels, a note and a status in one click, within team visibility', async () => {
    const agent = await app.userToken('agent', 'Macro Agent');
    const supervisor = await app.userToken('supervisor', 'Macro Supervisor');
    const shared = await app.api('POST', '/api/v1/macros', {
      name: 'Refund triage',
      shared: true,
      actions: [
        { type: 'addLabels', labels: ['refund', '退款'] },
        { type: 'note', text: 'Checked by macro' },
        { type: 'setStatus', status: 'pending' },
      ],
    });
    expect(shared.status).toBe(201);
    const id = await inbound(nextPhone(), 'refund please');
    const run = await app.api(
      'POST',
      `/api/v1/conversations/${id}/macros/${shared.body.id}`,
      undefined,
      agent.token,
    );
    expect(run.status).toBe(200);
    expect(run.body.results.map((r: { ok: boolean }) => r.ok)).toEqual([true, true, true]);
    expect(run.body.conversation).toMatchObject({ status: 'pending' });
    const d = await detail(id);
    expect(d.tags).toEqual(expect.arrayContaining(['refund', '退款']));
    expect(d.messages.some((m) => m.kind === 'note' && m.text === 'Checked by macro')).toBe(true);
    expect(d.messages.some((m) => m.kind === 'event' && m.text?.includes('Refund triage'))).toBe(
      true,
    );

    // Not the agent's team: 403; personal macros are their owner's only.
    const other = await team({ name: 'Not the agent’s' });
    const hidden = await inbound(nextPhone(), 'elsewhere');
    await app.api('POST', `/api/v1/conversations/${hidden}/assign`, { teamId: other });
    expect(
      (
        await app.api(
          'POST',
          `/api/v1/conversations/${hidden}/macros/${shared.body.id}`,
          undefined,
          agent.token,
        )
      ).status,
    ).toBe(403);
    const mine = await app.api(
      'POST',
      '/api/v1/macros',
      { name: 'Mine', actions: [{ type: 'resolve' }] },
      agent.token,
    );
    expect(mine.status).toBe(201);
    expect(
      (
        await app.api(
          'POST',
          '/api/v1/macros',
          { name: 'Share it', shared: true, actions: [{ type: 'resolve' }] },
          agent.token,
        )
      ).status,
    ).toBe(403);
    const seen = (await app.api('GET', '/api/v1/macros', undefined, supervisor.token)).body
      .items as Array<{ id: string }>;
    expect(seen.map((m) => m.id)).toContain(shared.body.id);
    expect(seen.map((m) => m.id)).not.toContain(mine.body.id);
    expect(
      (
        await app.api(
          'POST',
          `/api/v1/conversations/${id}/macros/${mine.body.id}`,
          undefined,
          supervisor.token,
        )
      ).status,
    ).toBe(404);
    expect(
      (await app.api('PATCH', `/api/v1/macros/${shared.body.id}`, { name: 'x' }, agent.token))
        .status,
    ).toBe(403);
    const bad = await app.api('POST', '/api/v1/macros', { name: 'x', actions: [{ type: 'fly' }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/actions\.0/);
  });

  it('calls a webhook signed per Standard Webhooks and notifies a user', async () => {
    const secret = `whsec_${Buffer.from('automation-test-secret-0123456789').toString('base64')}`;
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const agent = await app.userToken('agent', 'Notified Agent');
    const withPassword = await app.api('POST', '/api/v1/macros', {
      name: 'bad url',
      actions: [{ type: 'webhook', url: 'http://user:pw@example.com/x' }],
    });
    expect(withPassword.status).toBe(422);
    expect(withPassword.body.message ?? JSON.stringify(withPassword.body)).toMatch(
      /actions\.0\.url/,
    );
    const macro = await app.api('POST', '/api/v1/macros', {
      name: 'Escalate',
      actions: [
        { type: 'webhook', url, secret },
        { type: 'notify', userId: agent.id, text: 'look at this' },
      ],
    });
    expect(macro.status).toBe(201);
    const id = await inbound(nextPhone(), 'escalate me');
    const run = await app.api('POST', `/api/v1/conversations/${id}/macros/${macro.body.id}`);
    expect(run.body.results).toEqual([
      { type: 'webhook', ok: true },
      { type: 'notify', ok: true },
    ]);
    const hit = received.at(-1)!;
    const payload = new Webhook(secret).verify(hit.body, hit.headers as Record<string, string>);
    expect(payload).toMatchObject({ data: { conversationId: id, macroId: macro.body.id } });
    await eventually(async () => {
      const n = await app.api('GET', '/api/v1/notifications', undefined, agent.token);
      return n.body.items?.some((x: { conversationId: string }) => x.conversationId === id);
    }, 'the notification');
  });
});
