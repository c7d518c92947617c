import { randomBytes } from 'crypto';
import { io, type Socket } from 'socket.io-client';
import { useRedis } from '../support/services';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

/** Revocation holds across instances: what A ends, B refuses at once, sockets included. */
let db: TestDatabase;
let a: TestApp;
let b: TestApp;
const sockets: Socket[] = [];

beforeAll(async () => {
  if (!useRedis()) throw new Error('this test needs Redis at 127.0.0.1:6379');
  db = await createTestDatabase();
  const prefix = `t${randomBytes(5).toString('hex')}`;
  a = await startTestApp({}, { db, prefix });
  b = await startTestApp({}, { db, prefix });
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await b?.close();
  await a?.close();
  await db?.drop();
});

async function acceptedOnB(token: string, userId: string): Promise<Socket> {
  const s = io(`${b.url}/agents`, {
    auth: { token },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  sockets.push(s);
  await new Promise<void>((resolve) =>
    s.on('presence', (e: { agentId: string }) => e.agentId === userId && resolve()),
  );
  return s;
}

describe('Sessions across two instances', () => {
  it("a logout on A closes the user's socket on B and B refuses the token", async () => {
    const agent = await a.userToken('agent');
    const s = await acceptedOnB(agent.token, agent.id);
    const ended = new Promise<{ reason: string }>((resolve) => s.once('session.ended', resolve));
    const closed = new Promise<string>((resolve) => s.once('disconnect', resolve));
    expect((await a.api('POST', '/api/v1/auth/logout', undefined, agent.token)).status).toBe(204);
    expect(await ended).toEqual({ reason: 'logout' });
    expect(await closed).toBe('io server disconnect');
    expect((await b.api('GET', '/api/v1/auth/me', undefined, agent.token)).status).toBe(401);
  });

  it('a role change on A applies to the next request on B and closes the socket there', async () => {
    const agent = await a.userToken('agent');
    const s = await acceptedOnB(agent.token, agent.id);
    const closed = new Promise<string>((resolve) => s.once('disconnect', resolve));
    expect((await b.api('GET', '/api/v1/conversations', undefined, agent.token)).status).toBe(200);
    await a.api('PATCH', `/api/v1/users/${agent.id}`, { role: 'marketer' });
    expect(await closed).toBe('io server disconnect');
    expect((await b.api('GET', '/api/v1/conversations', undefined, agent.token)).status).toBe(403);
  });
});
