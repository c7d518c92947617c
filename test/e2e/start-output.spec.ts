import { spawn, type ChildProcess } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { eventually } from '../support/test-app';

const ROOT = join(__dirname, '../..');
const NEW_PASSWORD = 'juniper-Falcon-48-orchard';

jest.setTimeout(600_000);

interface Run {
  child: ChildProcess;
  /** Everything printed on stdout so far, line by line, with when each arrived. */
  lines: Array<{ at: number; text: string }>;
  stderr: string[];
  spawnedAt: number;
  exited: Promise<number>;
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

/** The embedded default as `npm start` runs it: no DATABASE_URL, REDIS_URL or ADMIN_PASSWORD. */
function baseEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    START_SMTP_RECEIVER: 'false',
  };
  for (const k of ['DATABASE_URL', 'REDIS_URL', 'ADMIN_EMAIL', 'ADMIN_PASSWORD', 'LOG_LEVEL'])
    delete env[k];
  return env;
}

function run(script: string, args: string[], env: NodeJS.ProcessEnv): Run {
  const spawnedAt = Date.now();
  const child = spawn(
    process.execPath,
    ['-r', join(ROOT, 'bench/lib/swc-register.js'), join(ROOT, script), ...args],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: Run['lines'] = [];
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop()!;
    for (const text of parts) lines.push({ at: Date.now(), text });
  });
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  const exited = new Promise<number>((resolve) =>
    child.once('exit', (code) => resolve(code ?? -1)),
  );
  return { child, lines, stderr, spawnedAt, exited };
}

const message = (text: string): string | undefined => {
  try {
    return (JSON.parse(text) as { msg?: string }).msg;
  } catch {
    return undefined;
  }
};

async function startHub(dataDir: string, port: number): Promise<Run> {
  const hub = run('src/main.ts', [], {
    ...baseEnv(dataDir),
    PORT: String(port),
    HOST: '127.0.0.1',
  });
  await eventually(
    async () => {
      if (hub.child.exitCode !== null) throw new Error(`the hub exited: ${hub.stderr.join('')}`);
      return hub.lines.some((l) => l.text.includes('Health:'));
    },
    'the ready banner',
    240_000,
  );
  return hub;
}

async function login(port: number, password: string): Promise<number> {
  const r = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@localhost', password }),
  });
  return r.status;
}

async function stop(hub: Run): Promise<void> {
  hub.child.kill('SIGTERM');
  await hub.exited;
}

describe('npm start on the embedded default, and the password reset beside it', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-start-'));
  const running: Run[] = [];
  afterAll(async () => {
    for (const r of running) if (r.child.exitCode === null) await stop(r);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says what it does from the first second and prints the URL and the login last', async () => {
    const port = await freePort();
    const hub = await startHub(dataDir, port);
    running.push(hub);
    const first = hub.lines[0];
    expect(message(first.text)).toMatch(/^Starting the hub/);
    expect(first.at - hub.spawnedAt).toBeLessThan(15_000);

    const steps = [
      /^Starting the hub/,
      /^Creating the embedded PostgreSQL .*\(first start/,
      /^Embedded PostgreSQL ready/,
      /^Running database migrations/,
      /^Migrations run/,
      /^Starting the application/,
      /^Listening on 127\.0\.0\.1:\d+/,
    ];
    const messages = hub.lines.map((l) => message(l.text) ?? '');
    const at = steps.map((step) => messages.findIndex((m) => step.test(m)));
    expect(steps.filter((_, i) => at[i] < 0).map(String)).toEqual([]);
    expect([...at].sort((a, b) => a - b)).toEqual(at);

    // The banner is the last thing printed: no log line after it.
    const ready = hub.lines.findIndex((l) => l.text.includes('Omnichannel hub is ready'));
    expect(ready).toBeGreaterThan(at[at.length - 1]);
    const banner = hub.lines.slice(ready).map((l) => l.text);
    expect(banner.filter((t) => t.startsWith('{'))).toEqual([]);
    const text = banner.join('\n');
    expect(text).toContain(`http://localhost:${port}`);
    expect(text).toContain(`http://localhost:${port}/docs`);
    expect(text).toContain(`http://localhost:${port}/health`);
    expect(text).toMatch(/Admin login: +admin@localhost/);
    const password = /Password: +(\S+)/.exec(text)?.[1];
    expect(password).toBeDefined();
    expect(await login(port, password!)).toBe(200);
    // Nest's own chatter (a line per route) stays at debug.
    expect(messages.filter((m) => /^Mapped \{/.test(m))).toEqual([]);

    // A second hub on the same data directory is refused, saying why, without a stack.
    const second = run('src/main.ts', [], { ...baseEnv(dataDir), PORT: String(await freePort()) });
    expect(await second.exited).toBe(1);
    expect(second.stderr.join('')).toMatch(
      /^the embedded database in .* is in use by process \d+ .*DATABASE_URL=postgres:\/\/\S+\n$/,
    );
    await stop(hub);
  });

  it('resets the admin password with the hub stopped, and through the running hub', async () => {
    for (const r of running) if (r.child.exitCode === null) await stop(r);
    const offline = run('scripts/cli.ts', ['admin', 'reset-password', '--password', NEW_PASSWORD], {
      ...baseEnv(dataDir),
      LOG_LEVEL: 'silent',
    });
    expect(await offline.exited).toBe(0);
    const offlineOut = offline.lines.map((l) => l.text).join('\n');
    expect(offlineOut).toContain('Opening the embedded database');
    expect(offlineOut).toContain('Password of admin@localhost reset');

    const port = await freePort();
    const hub = await startHub(dataDir, port);
    running.push(hub);
    const banner = hub.lines.map((l) => l.text).join('\n');
    expect(banner).not.toMatch(/Password: /);
    expect(banner).toContain('npm run cli -- admin reset-password');
    expect(await login(port, NEW_PASSWORD)).toBe(200);

    const online = run('scripts/cli.ts', ['admin', 'reset-password'], {
      ...baseEnv(dataDir),
      LOG_LEVEL: 'silent',
    });
    expect(await online.exited).toBe(0);
    const onlineOut = online.lines.map((l) => l.text).join('\n');
    expect(onlineOut).toMatch(/The hub \(process \d+\) is running on the embedded database/);
    const generated = /New password \(shown only this once\): (\S+)/.exec(onlineOut)?.[1];
    expect(generated).toBeDefined();
    expect(await login(port, generated!)).toBe(200);
    expect(await login(port, NEW_PASSWORD)).toBe(401);
    await stop(hub);
  });
});
