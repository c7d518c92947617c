import { io, type Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { PresenceService } from '../../src/realtime/presence.service';
import { eventually, startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app';

let app: TestApp;
const sockets: Socket[] = [];

async function onlineAgent(name: string) {
  const email = `${name.toLowerCase()}@test.local`;
  const u = await app.api('POST', '/api/v1/users', {
    email,
    name,
    password: USER_PASSWORD,
    role: 'agent',
    capacity: 5,
  });
  const token = await app.login(email, USER_PASSWORD);
  const s = io(`${app.url}/agents`, { auth: { token }, transports: ['websocket'], forceNew: true });
  sockets.push(s);
  const presence = app.hub.app.get(PresenceService);
  await eventually(
    async () =>
      (await presence.list()).some((p) => p.agentId === u.body.id && p.status === 'online'),
    `${name} online`,
  );
  return { id: u.body.id as string, token };
}

beforeAll(async () => {
  app = await startTestApp({ ASSIGNMENT_REPLY_TIMEOUT_SECONDS: '1' });
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await app?.close();
});

describe('Offer to the next agent', () => {
  it('moves a conversation whose assignee did not reply in time, and keeps one that was answered', async () => {
    const first = await onlineAgent('Cara');
    const r = await app.api('POST', '/api/v1/sandbox/inbound', {
      channel: 'sms',
      from: '+8613400134001',
      text: 'anyone?',
    });
    const id = r.body.conversation.id as string;
    await eventually(
      async () =>
        (await app.api('GET', `/api/v1/conversations/${id}`)).body.assigneeId === first.id,
      'assignment to Cara',
    );
    const second = await onlineAgent('Dan');
    await eventually(
      async () =>
        (await app.api('GET', `/api/v1/conversations/${id}`)).body.assigneeId === second.id,
      'the offer to Dan',
      15_000,
    );
    // Dan answers at once: his reply keeps the conversation with him past the timeout.
    expect(
      (
        await app.api(
          'POST',
          `/api/v1/conversations/${id}/replies`,
          { text: 'Here!' },
          second.token,
        )
      ).status,
    ).toBe(202);
    const db = app.hub.app.get(DataSource);
    await eventually(
      async () => {
        const jobs = (await db.query(`SELECT status FROM outbox_jobs WHERE dedupe_key LIKE $1`, [
          `offer:${id}:${second.id}:%`,
        ])) as Array<{ status: string }>;
        return jobs.length > 0 && jobs.every((j) => j.status === 'done');
      },
      "Dan's reply timer to run",
      10_000,
    );
    expect((await app.api('GET', `/api/v1/conversations/${id}`)).body.assigneeId).toBe(second.id);
  });
});
