import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
let seq = 0;
const phone = () => `+861370042${String(1000 + ++seq).padStart(4, '0')}`;
const sockets: Socket[] = [];

async function conversation(): Promise<string> {
  const r = await app.api('POST', '/api/v1/sandbox/inbound', {
    channel: 'sms',
    from: phone(),
    text: 'bulk please',
  });
  expect(r.status).toBeLessThan(300);
  return (r.body as { conversation: { id: string } }).conversation.id;
}
const get = async (id: string) =>
  (await app.api('GET', `/api/v1/conversations/${id}`)).body as {
    status: string;
    priority: string;
    tags: string[];
    teamId: string | null;
  };

interface Result {
  id: string;
  ok: boolean;
  code?: string;
  error?: string;
  conversation?: { id: string; status: string };
}

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await app?.close();
});

describe('POST /api/v1/conversations/bulk', () => {
  it('applies the action per conversation and reports each refusal by id', async () => {
    const agent = await app.userToken('agent');
    const team = await app.api('POST', '/api/v1/teams', { name: `bulk-${randomUUID()}` });
    expect(team.status).toBe(201);
    const [a, b, hidden] = [await conversation(), await conversation(), await conversation()];
    // A team the agent is not in: the agent may not see it.
    const placed = await app.api('POST', `/api/v1/conversations/${hidden}/assign`, {
      agentId: null,
      teamId: team.body.id,
    });
    expect(placed.status).toBe(200);
    const missing = randomUUID();

    const watcher = io(`${app.url}/agents`, {
      auth: { token: app.adminToken },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    sockets.push(watcher);
    await new Promise<void>((resolve, reject) => {
      watcher.once('connect', () => resolve());
      watcher.once('connect_error', reject);
    });
    const resolvedEvents = new Set<string>();
    const bothSeen = new Promise<void>((resolve) =>
      watcher.on('conversation.updated', (e: { conversation: { id: string; status: string } }) => {
        if (e.conversation.status === 'resolved') resolvedEvents.add(e.conversation.id);
        if (resolvedEvents.has(a) && resolvedEvents.has(b)) resolve();
      }),
    );

    const r = await app.api(
      'POST',
      '/api/v1/conversations/bulk',
      { ids: [a, hidden, missing, b, a], action: { type: 'status', status: 'resolved' } },
      agent.token,
    );
    expect(r.status).toBe(200);
    const results = r.body.results as Result[];
    expect(results.map((x) => [x.id, x.ok, x.code ?? null])).toEqual([
      [a, true, null],
      [hidden, false, 'forbidden'],
      [missing, false, 'not_found'],
      [b, true, null],
    ]);
    expect(results[0].conversation?.status).toBe('resolved');
    expect(results[2].error).toContain(missing);
    await bothSeen;
    expect((await get(a)).status).toBe('resolved');
    expect((await get(b)).status).toBe('resolved');
    expect((await get(hidden)).status).toBe('open');
    expect(resolvedEvents.has(hidden)).toBe(false);
  });

  it('adds labels to those already there, sets priority and assigns, validating like the single routes', async () => {
    const [a, b] = [await conversation(), await conversation()];
    expect(
      (await app.api('POST', `/api/v1/conversations/${a}/tags`, { tags: ['vip'] })).status,
    ).toBe(200);
    const tagged = await app.api('POST', '/api/v1/conversations/bulk', {
      ids: [a, b],
      action: { type: 'addTags', tags: ['退款', 'vip'] },
    });
    expect(tagged.status).toBe(200);
    expect((tagged.body.results as Result[]).every((x) => x.ok)).toBe(true);
    expect((await get(a)).tags).toEqual(['vip', '退款']);
    expect((await get(b)).tags).toEqual(['退款', 'vip']);

    const prio = await app.api('POST', '/api/v1/conversations/bulk', {
      ids: [a, b],
      action: { type: 'priority', priority: 'high' },
    });
    expect((prio.body.results as Result[]).every((x) => x.ok)).toBe(true);
    expect((await get(b)).priority).toBe('high');

    const ghost = randomUUID();
    const assign = await app.api('POST', '/api/v1/conversations/bulk', {
      ids: [a],
      action: { type: 'assign', agentId: ghost },
    });
    expect(assign.status).toBe(200);
    expect(assign.body.results).toEqual([
      { id: a, ok: false, code: 'bad_request', error: `agentId: no active user ${ghost}` },
    ]);
  });

  it('refuses a malformed request as a whole with a 400 naming the problem', async () => {
    const ids = Array.from({ length: 101 }, () => randomUUID());
    const tooMany = await app.api('POST', '/api/v1/conversations/bulk', {
      ids,
      action: { type: 'status', status: 'resolved' },
    });
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.body.message)).toContain('at most 100');

    const noSnoozeTime = await app.api('POST', '/api/v1/conversations/bulk', {
      ids: [randomUUID()],
      action: { type: 'status', status: 'snoozed' },
    });
    expect(noSnoozeTime.status).toBe(400);
    expect(JSON.stringify(noSnoozeTime.body.message)).toContain('snoozeUntil');

    const unknown = await app.api('POST', '/api/v1/conversations/bulk', {
      ids: [randomUUID()],
      action: { type: 'delete' },
    });
    expect(unknown.status).toBe(400);
  });

  it('is in the OpenAPI document with a summary and its request schema', async () => {
    const doc = await app.api('GET', '/docs/openapi.json', undefined, null);
    const op = doc.body.paths['/api/v1/conversations/bulk'].post;
    expect(op.summary).toMatch(/many conversations/);
    const schema = op.requestBody.content['application/json'].schema;
    expect(schema.properties.ids.maxItems).toBe(100);
    expect(JSON.stringify(schema.properties.action)).toContain('addTags');
  });

  it('is refused to a marketer', async () => {
    const marketer = await app.userToken('marketer');
    const r = await app.api(
      'POST',
      '/api/v1/conversations/bulk',
      { ids: [randomUUID()], action: { type: 'priority', priority: 'low' } },
      marketer.token,
    );
    expect(r.status).toBe(403);
  });
});
