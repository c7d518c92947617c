import { io, type Socket } from 'socket.io-client';
import { PresenceService } from '../../src/realtime/presence.service';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
const sockets: Socket[] = [];

async function onlineAgent(name: string, capacity: number) {
  const email = `${name.toLowerCase()}@test.local`;
  const u = await app.api('POST', '/api/v1/users', {
    email,
    name,
    password: 'password-123',
    role: 'agent',
    capacity,
  });
  expect(u.status).toBe(201);
  const token = await app.login(email, 'password-123');
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
});
