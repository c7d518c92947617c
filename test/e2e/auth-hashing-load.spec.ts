import { randomBytes } from 'crypto';
import { monitorEventLoopDelay, performance as perf } from 'perf_hooks';
import { PasswordHasher } from '../../src/auth/password-hasher';
import { startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app';

/**
 * Password hashing runs off the event loop: while 40 wrong logins hash at once, the hub (in this
 * process) keeps answering other requests. The latencies are printed, not asserted (speed lives in
 * benchmarks); what is asserted is that the loop turns while a hash runs.
 */
let app: TestApp;
const ms = (ns: number) => ns / 1e6;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

it('answers /health while 40 wrong logins hash', async () => {
  const users: string[] = [];
  for (let i = 0; i < 10; i++) {
    const email = `load-${i}-${randomBytes(3).toString('hex')}@test.local`;
    const r = await app.api('POST', '/api/v1/users', {
      email,
      name: `Load ${i}`,
      password: USER_PASSWORD,
      role: 'agent',
    });
    expect(r.status).toBe(201);
    users.push(email);
  }
  const wrongLogin = async (i: number) => {
    const res = await fetch(`${app.url}/api/v1/auth/login`, {
      method: 'POST',
      // 10 accounts x 4 failures (under the default 5 per account), each from its own address.
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i + 1}` },
      body: JSON.stringify({ email: users[i % 10], password: `wrong-password-${i}` }),
    });
    await res.text();
    return res.status;
  };

  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const idleBefore = perf.eventLoopUtilization();
  let done = false;
  const started = performance.now();
  const burst = Promise.all(Array.from({ length: 40 }, (_, i) => wrongLogin(i))).finally(() => {
    done = true;
  });
  const health: number[] = [];
  while (!done) {
    const t = performance.now();
    const r = await fetch(`${app.url}/health`);
    await r.text();
    health.push(performance.now() - t);
  }
  const statuses = await burst;
  const burstMs = performance.now() - started;
  loop.disable();
  const busy = perf.eventLoopUtilization(idleBefore).utilization;

  expect(statuses.every((s) => s === 401)).toBe(true);
  expect(health.length).toBeGreaterThan(0);
  const maxHealth = Math.max(...health);
  const maxDelay = ms(loop.max);
  process.stdout.write(
    `40 wrong logins took ${burstMs.toFixed(0)} ms; /health answered ${health.length} times ` +
      `(max ${maxHealth.toFixed(1)} ms); event loop delay max ${maxDelay.toFixed(1)} ms, ` +
      `p99 ${ms(loop.percentile(99)).toFixed(1)} ms; event loop busy ${(busy * 100).toFixed(0)}% of the burst\n`,
  );
});

it('hashes and verifies on a thread: the event loop turns while each one runs', async () => {
  const hasher = app.hub.app.get(PasswordHasher);
  /** How many times the loop came round (a setImmediate ran) before the work's promise settled. */
  const turnsDuring = async (work: () => Promise<unknown>) => {
    let turns = 0;
    let settled = false;
    const spin = () => {
      if (settled) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    await work().finally(() => (settled = true));
    return turns;
  };
  // A hash computed on the loop would settle before any queued setImmediate could run.
  const stored = await hasher.hash('correct horse battery staple');
  expect(await turnsDuring(() => hasher.hash('another long passphrase'))).toBeGreaterThan(0);
  expect(await turnsDuring(() => hasher.verify(stored, 'wrong'))).toBeGreaterThan(0);
  expect(await turnsDuring(() => hasher.verifyUnknown('wrong'))).toBeGreaterThan(0);
});
