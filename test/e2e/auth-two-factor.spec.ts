import { generate } from 'otplib';
import { io } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { ADMIN, startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app';

/**
 * TOTP second factor: enrolment (setup, enable, disable), logins that need the code, codes good
 * once, the secret never shown again nor stored in clear; REQUIRE_2FA holds admins without a
 * factor to the enrolment routes.
 */
let app: TestApp;

/** The code of the step `steps` away from now (the hub accepts the previous and the next one too). */
const code = (secret: string, steps = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

async function login(body: Record<string, unknown>) {
  return app.api('POST', '/api/v1/auth/login', body, null);
}

async function enrol(token: string): Promise<string> {
  const setup = await app.api('POST', '/api/v1/auth/2fa/setup', undefined, token);
  expect(setup.status).toBe(200);
  expect(setup.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\/.+\?.*secret=/);
  const secret = setup.body.secret as string;
  expect(setup.body.otpauthUrl).toContain(`secret=${secret}`);
  const bad = await app.api('POST', '/api/v1/auth/2fa/enable', { code: '000000' }, token);
  expect(bad.status).toBe(400);
  expect(bad.body.message).toMatch(/^code: /);
  const ok = await app.api(
    'POST',
    '/api/v1/auth/2fa/enable',
    { code: await code(secret, -1) },
    token,
  );
  expect(ok.status).toBe(200);
  return secret;
}

beforeAll(async () => {
  app = await startTestApp({ REQUIRE_2FA: 'true' });
});
afterAll(() => app.close());

describe('REQUIRE_2FA', () => {
  let adminSecret = '';

  it('holds an admin without a factor to the enrolment routes, HTTP and socket', async () => {
    const r = await login(ADMIN);
    expect(r.status).toBe(200);
    expect(r.body.twoFactorEnrolmentRequired).toBe(true);
    const token = r.body.accessToken as string;
    const refused = await app.api('GET', '/api/v1/users', undefined, token);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/REQUIRE_2FA: set up a second factor first/);
    expect((await app.api('POST', '/api/v1/users', {}, token)).status).toBe(403);
    expect((await app.api('GET', '/api/v1/auth/me', undefined, token)).status).toBe(200);
    const s = io(`${app.url}/agents`, {
      auth: { token },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    const error = new Promise<{ message: string }>((resolve) => s.once('error', resolve));
    const closed = new Promise<string>((resolve) => s.once('disconnect', resolve));
    expect((await error).message).toMatch(/REQUIRE_2FA/);
    expect(await closed).toBe('io server disconnect');
  });

  it('lets the admin enrol with that token, after which logins need the code', async () => {
    adminSecret = await enrol(app.adminToken);
    // The factor is on the row now: the same token reaches everything.
    expect((await app.api('GET', '/api/v1/users', undefined, app.adminToken)).status).toBe(200);
    const noCode = await login(ADMIN);
    expect(noCode.status).toBe(401);
    expect(noCode.body.message).toMatch(/^code: this account has a second factor/);
    const withCode = await login({ ...ADMIN, code: await code(adminSecret) });
    expect(withCode.status).toBe(200);
    expect(withCode.body.twoFactorEnrolmentRequired).toBeUndefined();
  });

  it('keeps the admin factor: disabling it is refused', async () => {
    const r = await app.api('POST', '/api/v1/auth/2fa/disable', {
      code: await code(adminSecret, 1),
    });
    expect(r.status).toBe(403);
    expect(r.body.message).toMatch(/REQUIRE_2FA/);
  });

  it('does not hold other roles to enrolment', async () => {
    const agent = await app.userToken('agent');
    expect((await app.api('GET', '/api/v1/conversations', undefined, agent.token)).status).toBe(
      200,
    );
  });
});

describe('TOTP for staff', () => {
  it('enrols, needs the code at login, takes each code once, and disables with a code', async () => {
    const agent = await app.userToken('agent');
    const me = await app.api('GET', '/api/v1/auth/me', undefined, agent.token);
    expect(me.body.twoFactor).toBe(false);
    const secret = await enrol(agent.token);
    expect((await app.api('GET', '/api/v1/auth/me', undefined, agent.token)).body.twoFactor).toBe(
      true,
    );
    // Enrolled: no second setup, and the secret is never shown again nor stored in clear.
    expect((await app.api('POST', '/api/v1/auth/2fa/setup', undefined, agent.token)).status).toBe(
      409,
    );
    const users = await app.api('GET', '/api/v1/users');
    expect(JSON.stringify(users.body)).not.toContain(secret);
    const [row] = (await app.hub.app
      .get(DataSource)
      .query(`SELECT totp_secret, totp_pending FROM users WHERE id = $1`, [agent.id])) as Array<{
      totp_secret: string;
      totp_pending: string | null;
    }>;
    expect(row.totp_secret).toMatch(/^v1:/);
    expect(row.totp_secret).not.toContain(secret);
    expect(row.totp_pending).toBeNull();

    const email = me.body.email as string;
    const missing = await login({ email, password: USER_PASSWORD });
    expect(missing.status).toBe(401);
    expect(missing.body.message).toMatch(/^code: /);
    const wrong = await login({ email, password: USER_PASSWORD, code: '123456' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toMatch(/^code: invalid/);
    // A wrong password with a right code is still a wrong password.
    const now = await code(secret);
    expect((await login({ email, password: 'not-the-password', code: now })).status).toBe(401);
    expect((await login({ email, password: USER_PASSWORD, code: now })).status).toBe(200);
    const replay = await login({ email, password: USER_PASSWORD, code: now });
    expect(replay.status).toBe(401);
    expect(replay.body.message).toMatch(/already used/);

    const off = await app.api(
      'POST',
      '/api/v1/auth/2fa/disable',
      { code: await code(secret, 1) },
      agent.token,
    );
    expect(off.status).toBe(200);
    expect((await login({ email, password: USER_PASSWORD })).status).toBe(200);
  });

  it('refuses enable without setup, and a malformed code naming the field', async () => {
    const agent = await app.userToken('agent');
    const r = await app.api('POST', '/api/v1/auth/2fa/enable', { code: '123456' }, agent.token);
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/setup first/);
    const bad = await app.api('POST', '/api/v1/auth/2fa/enable', { code: '12ab' }, agent.token);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^code: must be the 6-digit code/);
  });
});
