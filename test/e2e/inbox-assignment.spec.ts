import { io, type Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { PresenceService } from '../../src/realtime/presence.service';
import { eventually, startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app';

let app: TestApp;
const sockets: Socket[] = [];

async function onlineAgent(name: string, capacity: number) {
  const email = `${name.toLowerCase()}@test.local`;
  const u = await app.api('POST', '/api/v1/users', {
    email,
    name,
    password: USER_PASSWORD,
    role: 'agent',
    capacity,
  });
  expect(u.status).toBe(201);
  const token = await app.login(email, USER_PASSWORD);
  const s = io(`${app.url}/agents`, { auth: { token }, transports: ['websocket'], forceNew: true });
  sockets.push(s);
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
  // The client sees `connect` before the gateway has stored the presence: wait for it.
  const presence = app.hub.app.get(PresenceService);
  await eventually(
    async () =>
      (await presence.list()).some((p) => p.agentId === u.body.id && p.status === 'online'),
    `${name} online`,
  );
  return { id: u.body.id as string, token };
}

const conv = async (id: string) =>
  (await app.api('GET', `/api/v1/conversations/${id}`)).body as {
    assigneeId: string | null;
    status: string;
  };

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await app?.close();
});

describe('Automatic assignment', () => {
  it('spreads new conversations over online agents within capacity and queues the rest, oldest first', async () => {
    const ann = await onlineAgent('Ann', 1);
    const bob = await onlineAgent('Bob', 1);
    const ids: string[] = [];
    for (const [i, text] of ['first', 'second', 'third', 'fourth'].entries()) {
      const r = await app.api('POST', '/api/v1/sandbox/inbound', {
        channel: 'sms',
        from: `+86135001350${i}0`,
        text,
      });
      ids.push(r.body.conversation.id as string);
    }
    const assignees = await eventually(async () => {
      const a = await Promise.all(ids.slice(0, 2).map(async (id) => (await conv(id)).assigneeId));
      return a.every(Boolean) ? a : null;
    }, 'the first two conversations to be assigned');
    expect(new Set(assignees)).toEqual(new Set([ann.id, bob.id]));
    expect((await conv(ids[2])).assigneeId).toBeNull();
    expect((await conv(ids[3])).assigneeId).toBeNull();

    // Ann resolves hers: the oldest waiting conversation (third) goes to her, the fourth keeps waiting.
    const annsConversation = ids[assignees.indexOf(ann.id)];
    expect(
      (
        await app.api(
          'POST',
          `/api/v1/conversations/${annsConversation}/status`,
          { status: 'resolved' },
          ann.token,
        )
      ).status,
    ).toBe(200);
    await eventually(
      async () => (await conv(ids[2])).assigneeId === ann.id,
      'the oldest waiting conversation to go to Ann',
    );
    expect((await conv(ids[3])).assigneeId).toBeNull();
  });

  it('fills every agent to capacity and never past it when first contacts arrive at once, and queues the rest', async () => {
    // Ann and Bob are full from the test above; Cid has room for 2 and Dee for 3.
    const cid = await onlineAgent('Cid', 2);
    const dee = await onlineAgent('Dee', 3);
    const burst = await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        app.api('POST', '/api/v1/sandbox/inbound', {
          channel: 'sms',
          from: `+8613700137${String(i).padStart(3, '0')}`,
          text: `burst ${i}`,
        }),
      ),
    );
    expect(burst.map((r) => r.status)).toEqual(Array(9).fill(201));
    const ids = burst.map((r) => r.body.conversation.id as string);
    const db = app.hub.app.get(DataSource);
    const state = async () =>
      (await db.query(
        `SELECT assignee_id, queued_at IS NOT NULL AS queued FROM conversations WHERE id = ANY($1::uuid[])`,
        [ids],
      )) as Array<{ assignee_id: string | null; queued: boolean }>;
    // Settled: each conversation either has an agent or waits in the queue.
    const rows = await eventually(async () => {
      const r = await state();
      return r.length === 9 && r.every((x) => x.assignee_id !== null || x.queued) ? r : null;
    }, 'every conversation of the burst assigned or queued');
    const count = (id: string) => rows.filter((r) => r.assignee_id === id).length;
    expect(count(cid.id)).toBe(2);
    expect(count(dee.id)).toBe(3);
    expect(rows.filter((r) => r.assignee_id === null && r.queued)).toHaveLength(4);
    expect(
      rows.filter(
        (r) => r.assignee_id !== null && r.assignee_id !== cid.id && r.assignee_id !== dee.id,
      ),
    ).toHaveLength(0);
  });
});
