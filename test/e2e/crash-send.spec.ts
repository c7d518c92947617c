import { spawn, type ChildProcess } from 'child_process';
import { randomBytes } from 'crypto';
import { createServer } from 'net';
import { join } from 'path';
import { Client } from 'pg';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio';
import { orderShippedIntent } from '../support/intents';
import { TEST_REDIS_URL, useRedis } from '../support/services';
import { ADMIN, eventually } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

const ROOT = join(__dirname, '../..');
const ACCOUNT_SID = `AC${'9c8d7e6f'.repeat(4)}`;
const AUTH_TOKEN = 'fake-auth-token-crash';
const FROM_FIRST = '+15005550006';
const FROM_STANDBY = '+15005550007';
/** Messages in the load; the kill lands after a tenth of them reached the provider. */
const N = 120;

interface Hub {
  child: ChildProcess;
  url: string;
  /** Lines the hub has logged so far, with the time each was read. */
  lines: Array<{ at: number; text: string }>;
  exited: Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** The hub as a real process (the benches' swc require hook), until it answers /health. */
async function startHub(env: Record<string, string>): Promise<Hub> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['-r', join(ROOT, 'bench/lib/swc-register.js'), join(ROOT, 'src/main.ts')],
    {
      cwd: ROOT,
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: Hub['lines'] = [];
  const read = (chunk: Buffer) => {
    for (const text of chunk.toString('utf8').split('\n'))
      if (text.trim()) lines.push({ at: Date.now(), text });
  };
  child.stdout!.on('data', read);
  child.stderr!.on('data', read);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await eventually(
    async () => {
      if (child.exitCode !== null)
        throw new Error(`the hub exited: ${lines.map((l) => l.text).join('\n')}`);
      return (await fetch(`${url}/health`).catch(() => null))?.status === 200;
    },
    'the hub to answer /health',
    150_000,
  );
  return { child, url, lines, exited };
}

async function login(url: string): Promise<string> {
  const r = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  return ((await r.json()) as { accessToken: string }).accessToken;
}

async function post(url: string, token: string, path: string, body: unknown) {
  const r = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

describe('a send crashed by kill -9', () => {
  let db: TestDatabase;
  let fake: FakeTwilio;
  let pg: Client;
  const hubs: Hub[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });
  afterAll(async () => {
    for (const h of hubs) {
      if (h.child.exitCode === null) h.child.kill('SIGTERM');
      await h.exited;
    }
    await pg.end();
    await fake.stop();
    await db.drop();
  });

  it('sends nothing twice and loses nothing; stalled work is taken up within 30 s', async () => {
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      QUEUE_PREFIX: `tc${randomBytes(4).toString('hex')}`,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      JWT_SECRET: 'crash-test-secret-crash-test-secret',
      LOG_LEVEL: 'warn',
      START_SMTP_RECEIVER: 'false',
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_API_BASE_URL: fake.url,
      ...(useRedis() ? { REDIS_URL: TEST_REDIS_URL } : {}),
    };
    // Two processes on one database and queue; each sends from its own number, so the
    // provider tells whose send it holds.
    const [first, standby] = await Promise.all([
      startHub({ ...env, TWILIO_FROM: FROM_FIRST }),
      startHub({ ...env, TWILIO_FROM: FROM_STANDBY }),
    ]);
    hubs.push(first, standby);
    const token = await login(first.url);
    const phones = Array.from({ length: N }, (_, i) => `+86139${String(7000000 + i)}`);
    const customers = await Promise.all(
      phones.map(async (address, i) => {
        const c = await post(first.url, token, '/api/v1/customers', {
          displayName: `Crash ${i}`,
          identities: [{ channel: 'sms', address }],
        });
        expect(c.status).toBe(201);
        return c.body.id as string;
      }),
    );

    // After a tenth of the load, the provider accepts the next send and never answers it: the
    // process that made it dies between the provider's acceptance and its own record, and the
    // other takes its work up.
    let killedAt = 0;
    let killed = first;
    const held = eventually(async () => fake.messages.length >= N / 10, 'a tenth', 60_000)
      .then(() => fake.holdNextMessage())
      .then((message) => {
        if (message.from === FROM_STANDBY) killed = standby;
        killed.child.kill('SIGKILL');
        killedAt = Date.now();
        return message;
      });
    const accepted = await Promise.all(
      customers.map((id, i) =>
        post(
          i % 2 ? standby.url : first.url,
          token,
          '/api/v1/messages',
          orderShippedIntent(id, `K-${i}`),
        )
          .then((r) => (r.status === 202 ? (r.body.messageId as string) : null))
          .catch(() => null),
      ),
    );
    let deadline: NodeJS.Timeout | undefined;
    const heldMessage = await Promise.race([
      held,
      new Promise<never>((_, reject) => {
        deadline = setTimeout(() => reject(new Error('no send was held within 60 s')), 60_000);
      }),
    ]).finally(() => clearTimeout(deadline));
    await killed.exited;
    const atKill = fake.messages.length;
    const queued = accepted.filter((id): id is string => id !== null);
    expect(queued.length).toBeGreaterThan(N / 10);
    expect(atKill).toBeLessThan(queued.length);
    // The held send is in flight, as the dead process left it.
    const [inFlight] = (
      await pg.query<{ id: string }>(
        `SELECT m.id FROM messages m JOIN delivery_attempts a ON a.message_id = m.id
         WHERE m.address = $1 AND a.status = 'sending'`,
        [heldMessage.to],
      )
    ).rows;
    expect(inFlight).toBeDefined();

    // The standby takes it up once the dead process's lease has lapsed.
    await eventually(
      async () =>
        (
          await pg.query(
            `SELECT 1 FROM delivery_attempts WHERE message_id = $1 AND status = 'sending'`,
            [inFlight.id],
          )
        ).rowCount === 0,
      'the in-flight send to be taken up',
      60_000,
    );
    const pickedUpIn = Date.now() - killedAt;

    // The killed process starts again, and everything settles: every send job done.
    const restarted = await startHub({ ...env, TWILIO_FROM: heldMessage.from! });
    hubs.push(restarted);
    await eventually(
      async () => {
        const r = await pg.query<{ open: string }>(
          `SELECT count(*) AS open FROM outbox_jobs WHERE name = 'send' AND status <> 'done'`,
        );
        const f = await pg.query(`SELECT 1 FROM delivery_attempts WHERE status = 'sending'`);
        return Number(r.rows[0].open) === 0 && f.rowCount === 0;
      },
      'every send settled',
      90_000,
    );

    const messages = (
      await pg.query<{ id: string; address: string; status: string; sids: string[] }>(
        `SELECT m.id, m.address, m.status,
                array_remove(array_agg(a.provider_message_id ORDER BY a.attempt_no), NULL) AS sids
         FROM messages m LEFT JOIN delivery_attempts a ON a.message_id = m.id
         WHERE m.direction = 'outbound' GROUP BY m.id, m.created_at`,
      )
    ).rows;
    // Every accepted send is there; besides them only sends whose request reached the killed
    // process, was committed, and lost its answer with the process (the client saw no 202).
    const ids = messages.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(queued));
    const unanswered = accepted.filter(
      (id, i) => id === null && (i % 2 ? standby : first) === killed,
    ).length;
    expect(ids.length - queued.length).toBeLessThanOrEqual(unanswered);
    const atProvider = new Map<string, string[]>();
    for (const m of fake.messages) atProvider.set(m.to, [...(atProvider.get(m.to) ?? []), m.sid]);
    const duplicates = [...atProvider.values()].filter((sids) => sids.length > 1).length;
    const lost = messages.filter(
      (m) => m.status !== 'unknown' && (atProvider.get(m.address) ?? []).length === 0,
    ).length;
    const unknown = messages.filter((m) => m.status === 'unknown');
    // Each message that reached the provider is recorded with the provider's own id.
    for (const m of messages)
      if (m.status !== 'unknown') expect(m.sids).toEqual(atProvider.get(m.address));
    // An unknown one (none expected: Twilio can be asked) reached the provider at most once.
    for (const m of unknown)
      expect((atProvider.get(m.address) ?? []).length).toBeLessThanOrEqual(1);

    const recovered = (
      await pg.query<{ message_id: string; provider_message_id: string }>(
        `SELECT message_id, provider_message_id FROM delivery_attempts
         WHERE details->>'recoveredFromProvider' = 'true'`,
      )
    ).rows;
    process.stdout.write(
      `[crash-send] ${JSON.stringify({
        messages: queued.length,
        atProviderWhenKilled: atKill,
        duplicates,
        lost,
        unknown: unknown.length,
        recoveredFromProvider: recovered.length,
        heldSendResolvedAfterKillMs: pickedUpIn,
      })}\n`,
    );
    expect(duplicates).toBe(0);
    expect(lost).toBe(0);
    expect(unknown).toHaveLength(0);
    // The kill landed inside the window: the held send is recorded with the provider's id.
    expect(recovered).toContainEqual({
      message_id: inFlight.id,
      provider_message_id: heldMessage.sid,
    });
    expect(pickedUpIn).toBeLessThan(30_000);
  }, 420_000);
});
