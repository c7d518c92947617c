import { spawn } from 'child_process';
import { Client } from 'pg';
import { ADMIN, startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app';

const NEW_PASSWORD = 'copper-Harbour-57-lantern';

/** `npm run cli -- admin reset-password ...` against the test app's database (and Redis). */
function resetPassword(
  app: TestApp,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['-r', './bench/lib/swc-register.js', 'scripts/cli.ts', 'admin', 'reset-password', ...args],
      { cwd: process.cwd(), env: { ...process.env, ...app.env, LOG_LEVEL: 'silent' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

// Each run boots the app's modules in a fresh process (about 10 s, more on a busy machine).
jest.setTimeout(300_000);

describe('npm run cli -- admin reset-password', () => {
  let app: TestApp;
  let agentEmail: string;
  beforeAll(async () => {
    app = await startTestApp();
    const agent = await app.userToken('agent');
    agentEmail = (await app.api('GET', '/api/v1/auth/me', undefined, agent.token)).body.email;
  });
  afterAll(async () => {
    await app?.close();
  });

  const login = (email: string, password: string) =>
    app.api('POST', '/api/v1/auth/login', { email, password }, null);

  it('sets the new password, ends every session, clears the login throttle and audits the reset', async () => {
    const oldToken = app.adminToken;
    expect((await app.api('GET', '/api/v1/auth/me', undefined, oldToken)).status).toBe(200);
    // Locked out by failed logins: even the right password is refused now.
    for (let i = 0; i < Number(app.hub.config.env.LOGIN_MAX_FAILURES_PER_ACCOUNT); i++)
      expect((await login(ADMIN.email, `wrong-guess-${i}`)).status).toBe(401);
    expect((await login(ADMIN.email, ADMIN.password)).status).toBe(429);

    const r = await resetPassword(app, ['--password', NEW_PASSWORD]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Password of ${ADMIN.email} reset`);
    expect(r.stdout).not.toContain(NEW_PASSWORD);

    expect((await app.api('GET', '/api/v1/auth/me', undefined, oldToken)).status).toBe(401);
    expect((await login(ADMIN.email, ADMIN.password)).status).toBe(401);
    const fresh = await login(ADMIN.email, NEW_PASSWORD);
    expect(fresh.status).toBe(200);
    expect(
      (await app.api('GET', '/api/v1/auth/me', undefined, fresh.body.accessToken)).status,
    ).toBe(200);

    const pg = new Client({ connectionString: app.db.url });
    await pg.connect();
    try {
      const audit = await pg.query(
        `SELECT a.actor_id, a.details FROM audit_log a JOIN users u ON u.id::text = a.entity_id
          WHERE a.action = 'user.password.reset' AND a.entity_type = 'user' AND u.email = $1`,
        [ADMIN.email],
      );
      expect(audit.rows).toHaveLength(1);
      expect(audit.rows[0].details).toMatchObject({ generated: false });
      expect(audit.rows[0].details.by).toMatch(/^cli /);
    } finally {
      await pg.end();
    }
  });

  it('generates a password meeting the policy when none is given, and prints it once', async () => {
    const r = await resetPassword(app, ['--email', agentEmail.toUpperCase()]);
    expect(r.code).toBe(0);
    const printed = /New password \(shown only this once\): (\S+)/.exec(r.stdout)?.[1];
    expect(printed).toBeDefined();
    expect(printed!.length).toBeGreaterThanOrEqual(16);
    expect((await login(agentEmail, USER_PASSWORD)).status).toBe(401);
    expect((await login(agentEmail, printed!)).status).toBe(200);
  });

  it('refuses an unknown e-mail, a weak password and bad arguments, naming the problem', async () => {
    const unknown = await resetPassword(app, ['--email', 'nobody@test.local']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('email: no user has the e-mail nobody@test.local');

    const short = await resetPassword(app, ['--password', 'short']);
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('password: must be at least 10 characters');

    const common = await resetPassword(app, ['--password', 'password-123']);
    expect(common.code).toBe(1);
    expect(common.stderr).toMatch(/password: too easy to guess/);

    const bad = await resetPassword(app, ['--pasword', NEW_PASSWORD]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('admin reset-password [--email');
    // None of these changed anything.
    expect((await login(ADMIN.email, NEW_PASSWORD)).status).toBe(200);
  });
});
