import { Logger } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import { randomBytes } from 'crypto';
import { io, type Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '../../src/auth/password-hasher';
import { AgentsGateway } from '../../src/realtime/agents.gateway';
import { startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app';

/**
 * Logins: failed attempts throttled per account and per address, an unknown account as costly
 * as a wrong password, the password policy, old bcrypt hashes upgraded, tokens revoked by
 * logout, deactivation and role changes on HTTP and on the /agents socket.
 */
let app: TestApp;
const sockets: Socket[] = [];
let addresses = 0;
/**
 * A client address no other call of this file used (the hub trusts X-Forwarded-For), so address
 * counts stay apart: random ones sometimes hit the one a throttle test had blocked.
 */
const address = () => {
  const n = ++addresses;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
};

async function login(body: Record<string, unknown>, ip = address()) {
  const res = await fetch(`${app.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any, headers: res.headers };
}

async function newUser(role: 'agent' | 'supervisor' | 'marketer' = 'agent') {
  const email = `u-${randomBytes(4).toString('hex')}@test.local`;
  const r = await app.api('POST', '/api/v1/users', {
    email,
    name: 'Logins Test',
    password: USER_PASSWORD,
    role,
  });
  expect(r.status).toBe(201);
  const token = (await login({ email, password: USER_PASSWORD })).body.accessToken as string;
  return { id: r.body.id as string, email, token };
}

function connect(token: string): Socket {
  const s = io(`${app.url}/agents`, {
    auth: { token },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  sockets.push(s);
  return s;
}
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
/** Every event the socket hears from now on, in order, so a test awaits the close and not an event that may never come. */
function heard(s: Socket): [string, unknown][] {
  const events: [string, unknown][] = [];
  s.onAny((event: string, payload: unknown) => events.push([event, payload]));
  return events;
}

/** Connected and accepted: the gateway announces the user's presence once it joined the rooms. */
async function accepted(token: string, userId: string): Promise<Socket> {
  const s = connect(token);
  await next<{ agentId: string }>(s, 'presence', (e) => e.agentId === userId);
  return s;
}

beforeAll(async () => {
  app = await startTestApp({
    LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
    LOGIN_MAX_FAILURES_PER_IP: '6',
    LOGIN_FAILURE_WINDOW_SECONDS: '600',
  });
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await app.close();
});
afterEach(() => jest.restoreAllMocks());

describe('login throttle', () => {
  it('refuses an account after 3 failures with 429 and Retry-After, right password too, and logs it', async () => {
    const user = await newUser();
    const warn = jest.spyOn(Logger.prototype, 'warn');
    for (let i = 0; i < 3; i++)
      expect((await login({ email: user.email, password: `wrong-${i}` })).status).toBe(401);
    const refused = await login({ email: user.email, password: USER_PASSWORD });
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/too many failed logins for this account/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(refused.body.details.retryAfterSeconds).toBe(retryAfter);
    const lines = warn.mock.calls.map((c) => String(c[0])).filter((l) => /login refused/.test(l));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(USER_PASSWORD);
  });

  it("counts only failures: a success clears the account's count, and successes never count", async () => {
    const user = await newUser();
    const ip = address();
    for (let round = 0; round < 2; round++) {
      // Two failures, then a success that clears the account's count (3 would be refused).
      for (let i = 0; i < 2; i++)
        expect((await login({ email: user.email, password: 'wrong-password' }, ip)).status).toBe(
          401,
        );
      expect((await login({ email: user.email, password: USER_PASSWORD }, ip)).status).toBe(200);
    }
    // Four failures and two successes from this address; successes are never counted, so
    // five more and a fifth failure still leave it under its limit of 6.
    for (let i = 0; i < 5; i++)
      expect((await login({ email: user.email, password: USER_PASSWORD }, ip)).status).toBe(200);
    expect((await login({ email: user.email, password: 'wrong-password' }, ip)).status).toBe(401);
    expect((await login({ email: user.email, password: USER_PASSWORD }, ip)).status).toBe(200);
  });

  it('refuses an address after 6 failures on any accounts, and only that address', async () => {
    const ip = address();
    for (let i = 0; i < 6; i++) {
      const r = await login({ email: `nobody-${i}@test.local`, password: 'wrong-password' }, ip);
      expect(r.status).toBe(401);
    }
    const user = await newUser();
    const refused = await login({ email: user.email, password: USER_PASSWORD }, ip);
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/too many failed logins for this address/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await login({ email: user.email, password: USER_PASSWORD })).status).toBe(200);
  });
});

describe('unknown accounts', () => {
  it('go through the same hash verification as a wrong password', async () => {
    const hasher = app.hub.app.get(PasswordHasher);
    const verify = jest.spyOn(hasher, 'verify');
    const users = await Promise.all([newUser(), newUser(), newUser(), newUser()]);
    verify.mockClear();
    for (let i = 0; i < 8; i++) {
      expect((await login({ email: users[i % 4].email, password: `wrong-${i}` })).status).toBe(401);
      expect((await login({ email: `ghost-${i}@test.local`, password: `wrong-${i}` })).status).toBe(
        401,
      );
    }
    // One argon2 verification per attempt, known account or not, at the same cost parameters:
    // the work (and so the time) does not tell an unknown account from a wrong password.
    expect(verify).toHaveBeenCalledTimes(16);
    const costs = verify.mock.calls.map(([hash]) => /^\$argon2id\$v=\d+\$[^$]+/.exec(hash)?.[0]);
    expect(costs[0]).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+$/);
    expect(new Set(costs)).toEqual(new Set([costs[0]]));
  });
});

describe('password policy', () => {
  it.each([
    ['short', 'Xq7!vz', /password: must be at least 10 characters/],
    ['common', 'password-123', /password: too easy to guess.*commonly used/],
    ['the name and a year', 'Kowalczyk2024!', /password: too easy to guess.*personal/],
    [
      'over 256 bytes',
      'ж'.repeat(129),
      /password: must be at most 256 bytes in UTF-8 \(it has 258\)/,
    ],
  ])('refuses a %s password naming the reason', async (_, password, why) => {
    const r = await app.api('POST', '/api/v1/users', {
      email: `p-${randomBytes(3).toString('hex')}@test.local`,
      name: 'Ada Kowalczyk',
      password,
      role: 'agent',
    });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(why);
  });

  it('refuses a login password over 256 bytes with 400, before any hashing', async () => {
    const r = await login({ email: 'admin@test.local', password: 'x'.repeat(300) });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/password: must be at most 256 bytes/);
  });
});

describe('password hashes', () => {
  it('verifies an old bcrypt hash and rehashes it to argon2id at that login', async () => {
    const db = app.hub.app.get(DataSource);
    const email = `legacy-${randomBytes(3).toString('hex')}@test.local`;
    await db.query(
      `INSERT INTO users (email, name, password_hash, role) VALUES ($1, 'Legacy', $2, 'agent')`,
      [email, await bcrypt.hash('old-bcrypt-pass', 10)],
    );
    const hashOf = async () =>
      ((await db.query(`SELECT password_hash FROM users WHERE email = $1`, [email])) as any[])[0]
        .password_hash as string;
    expect(await hashOf()).toMatch(/^\$2[ab]\$/);
    expect((await login({ email, password: 'old-bcrypt-wrong' })).status).toBe(401);
    expect(await hashOf()).toMatch(/^\$2[ab]\$/);
    expect((await login({ email, password: 'old-bcrypt-pass' })).status).toBe(200);
    expect(await hashOf()).toMatch(/^\$argon2id\$/);
    expect((await login({ email, password: 'old-bcrypt-pass' })).status).toBe(200);
  });
});

describe('revocation', () => {
  it('logout ends every token of the user; a new login works', async () => {
    const user = await newUser();
    const other = (await login({ email: user.email, password: USER_PASSWORD })).body.accessToken;
    expect((await app.api('GET', '/api/v1/auth/me', undefined, user.token)).status).toBe(200);
    expect((await app.api('POST', '/api/v1/auth/logout', undefined, user.token)).status).toBe(204);
    for (const token of [user.token, other]) {
      const r = await app.api('GET', '/api/v1/auth/me', undefined, token);
      expect(r.status).toBe(401);
      expect(r.body.message).toMatch(/revoked/);
    }
    const fresh = (await login({ email: user.email, password: USER_PASSWORD })).body.accessToken;
    expect((await app.api('GET', '/api/v1/auth/me', undefined, fresh)).status).toBe(200);
  });

  it('deactivation takes effect on the next request; reactivation does not revive old tokens', async () => {
    const user = await newUser();
    expect((await app.api('GET', '/api/v1/conversations', undefined, user.token)).status).toBe(200);
    const off = await app.api('PATCH', `/api/v1/users/${user.id}`, { active: false });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: user.id, active: false });
    const r = await app.api('GET', '/api/v1/conversations', undefined, user.token);
    expect(r.status).toBe(401);
    expect((await login({ email: user.email, password: USER_PASSWORD })).status).toBe(401);
    expect((await app.api('PATCH', `/api/v1/users/${user.id}`, { active: true })).status).toBe(200);
    expect((await app.api('GET', '/api/v1/conversations', undefined, user.token)).status).toBe(401);
    expect((await login({ email: user.email, password: USER_PASSWORD })).status).toBe(200);
  });

  it('a role change applies to the next request, read from the row', async () => {
    const user = await newUser('agent');
    expect((await app.api('GET', '/api/v1/conversations', undefined, user.token)).status).toBe(200);
    const r = await app.api('PATCH', `/api/v1/users/${user.id}`, { role: 'marketer', capacity: 3 });
    expect(r.body).toMatchObject({ role: 'marketer', capacity: 3 });
    expect((await app.api('GET', '/api/v1/conversations', undefined, user.token)).status).toBe(403);
    await app.api('PATCH', `/api/v1/users/${user.id}`, { role: 'agent' });
    expect((await app.api('GET', '/api/v1/conversations', undefined, user.token)).status).toBe(200);
    expect((await app.api('PATCH', `/api/v1/users/${user.id}`, {})).status).toBe(400);
    expect(
      (await app.api('PATCH', `/api/v1/users/${user.id}`, { role: 'admin' }, user.token)).status,
    ).toBe(403);
  });

  it('keeps the last active admin', async () => {
    const me = await app.api('GET', '/api/v1/auth/me');
    const r = await app.api('PATCH', `/api/v1/users/${me.body.id}`, { role: 'agent' });
    expect(r.status).toBe(409);
    expect(r.body.message).toMatch(/last active admin/);
    expect((await app.api('PATCH', `/api/v1/users/${me.body.id}`, { active: false })).status).toBe(
      409,
    );
  });
});

describe('/agents sockets', () => {
  it('closes the sockets of a user who logs out and refuses the token at connect', async () => {
    const user = await newUser();
    const s = await accepted(user.token, user.id);
    const told = heard(s);
    const closed = next<string>(s, 'disconnect');
    expect((await app.api('POST', '/api/v1/auth/logout', undefined, user.token)).status).toBe(204);

    // Told why before the close: the reason is among what the socket heard when it closed.
    expect(await closed).toBe('io server disconnect');
    expect(told).toContainEqual(['session.ended', { reason: 'logout' }]);
    const again = connect(user.token);
    const error = next<{ message: string }>(again, 'error');
    const refused = next<string>(again, 'disconnect');
    expect((await error).message).toMatch(/revoked/);
    expect(await refused).toBe('io server disconnect');
  });

  it("closes this instance's sockets at once, even when the cross-instance request is lost", async () => {
    const user = await newUser();
    const s = await accepted(user.token, user.id);
    // On Redis, the adapter's disconnect travels as a pub/sub request that this instance also
    // acts on when it comes back; here every such request is dropped.
    const adapter = app.hub.app.get(AgentsGateway).server.adapter as unknown as {
      pubClient?: { publish: (channel: string, message: unknown) => Promise<number> };
    };
    const publish = adapter.pubClient?.publish;
    if (adapter.pubClient && publish) {
      const pub = adapter.pubClient;
      pub.publish = (channel, message) =>
        channel.includes('-request#') ? Promise.resolve(0) : publish.call(pub, channel, message);
    }
    try {
      const closed = next<string>(s, 'disconnect');
      expect((await app.api('POST', '/api/v1/auth/logout', undefined, user.token)).status).toBe(
        204,
      );
      const stayed = new Promise<string>((resolve) => {
        const timer = setTimeout(() => resolve('still open after 10 s'), 10_000);
        void closed.finally(() => clearTimeout(timer));
      });
      expect(await Promise.race([closed, stayed])).toBe('io server disconnect');
    } finally {
      if (adapter.pubClient && publish) adapter.pubClient.publish = publish;
    }
  });

  it('closes the sockets of a deactivated user', async () => {
    const user = await newUser();
    const s = await accepted(user.token, user.id);
    const told = heard(s);
    const closed = next<string>(s, 'disconnect');
    await app.api('PATCH', `/api/v1/users/${user.id}`, { active: false });
    expect(await closed).toBe('io server disconnect');
    expect(told).toContainEqual(['session.ended', { reason: 'deactivated' }]);
    const again = connect(user.token);
    await next(again, 'disconnect');
    expect(again.connected).toBe(false);
  });

  it('closes the sockets on a role change; the role now in the row decides the reconnect', async () => {
    const user = await newUser('agent');
    const s = await accepted(user.token, user.id);
    const closed = next<string>(s, 'disconnect');
    await app.api('PATCH', `/api/v1/users/${user.id}`, { role: 'marketer' });
    expect(await closed).toBe('io server disconnect');
    const refused = connect(user.token);
    expect((await next<{ message: string }>(refused, 'error')).message).toMatch(/marketers/);
    await app.api('PATCH', `/api/v1/users/${user.id}`, { role: 'supervisor' });
    await accepted(user.token, user.id);
  });
});
