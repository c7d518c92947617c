import { randomBytes } from 'crypto';
import { io, type Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { useRedis } from '../support/services';
import { eventually, startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

let db: TestDatabase;
let a: TestApp;
let b: TestApp;
let socket: Socket | undefined;

beforeAll(async () => {
  if (!useRedis()) throw new Error('this test needs Redis at 127.0.0.1:6379');
  db = await createTestDatabase();
  const prefix = `t${randomBytes(5).toString('hex')}`;
  a = await startTestApp({}, { db, prefix });
  b = await startTestApp({}, { db, prefix });
});
afterAll(async () => {
  socket?.disconnect();
  await b?.close();
  await a?.close();
  await db?.drop();
});

describe('Two instances on one database, queue and Redis', () => {
  it('delivers a message that arrives on A to an agent connected to B', async () => {
    const agent = await a.userToken('agent');
    socket = io(`${b.url}/agents`, {
      auth: { token: agent.token },
      transports: ['websocket'],
      forceNew: true,
    });
    // Accepted once B announces the agent's presence: it has joined the rooms by then (the
    // connect event comes before the gateway has checked the token).
    await new Promise<void>((resolve, reject) => {
      socket!.on('presence', (e: { agentId: string }) => {
        if (e.agentId === agent.id) resolve();
      });
      socket!.once('connect_error', reject);
    });
    const got = new Promise<{ message: { text: string } }>((resolve) =>
      socket!.on(
        'message.created',
        (e: { message: { text: string } }) => e.message.text === 'hello from A' && resolve(e),
      ),
    );
    const r = await a.api('POST', '/api/v1/sandbox/inbound', {
      channel: 'sms',
      from: '+8613700137001',
      text: 'hello from A',
    });
    expect(r.status).toBeLessThan(300);
    expect((await got).message.text).toBe('hello from A');
  });

  it('fires an SLA timer set by A exactly once', async () => {
    expect(
      (await a.api('POST', '/api/v1/sla-policies', { name: 'one second', firstResponseSeconds: 1 }))
        .status,
    ).toBe(201);
    const r = await a.api('POST', '/api/v1/sandbox/inbound', {
      channel: 'sms',
      from: '+8613700137002',
      text: 'waiting',
    });
    const conversationId = r.body.conversation.id as string;
    const ds = a.hub.app.get(DataSource);
    await eventually(
      async () => {
        const rows = (await ds.query(`SELECT status FROM outbox_jobs WHERE dedupe_key LIKE $1`, [
          `sla:${conversationId}:first_response:%`,
        ])) as Array<{ status: string }>;
        return rows[0]?.status === 'done';
      },
      'the SLA timer job to finish',
      15_000,
    );
    const viaB = await b.api('GET', `/api/v1/conversations/${conversationId}`);
    expect(viaB.body.messages.filter((m: { kind: string }) => m.kind === 'event')).toHaveLength(1);
    const runs = (await ds.query(`SELECT attempts FROM outbox_jobs WHERE dedupe_key LIKE $1`, [
      `sla:${conversationId}:first_response:%`,
    ])) as Array<{ attempts: number }>;
    expect(runs[0].attempts).toBe(1);
  });
});
