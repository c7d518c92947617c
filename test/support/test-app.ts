import { randomBytes } from 'crypto';
import { bootstrap, type RunningHub } from '../../src/bootstrap';
import { TEST_REDIS_URL, useRedis } from './services';
import { createTestDatabase, type TestDatabase } from './test-db';

export const ADMIN = { email: 'admin@test.local', password: 'admin-password-1' };
/** The password userToken gives every user it creates (strong enough for the password policy). */
export const USER_PASSWORD = 'quartz-Lantern-91-meadow';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestApp {
  hub: RunningHub;
  url: string;
  db: TestDatabase;
  adminToken: string;
  env: Record<string, string>;
  /** JSON request with the admin token unless another (or null) is given. */
  api<T = any>(
    method: string,
    path: string,
    body?: unknown,
    token?: string | null,
  ): Promise<ApiResponse<T>>;
  login(email: string, password: string): Promise<string>;
  /** Creates a user of that role and returns its token. */
  userToken(
    role: 'admin' | 'supervisor' | 'agent' | 'marketer',
    name?: string,
  ): Promise<{ id: string; token: string }>;
  close(): Promise<void>;
}

/** Boots the whole hub on this file's own database (and its own BullMQ prefix when Redis is up). */
export async function startTestApp(
  overrides: Record<string, string> = {},
  shared?: { db: TestDatabase; prefix: string },
): Promise<TestApp> {
  const db = shared?.db ?? (await createTestDatabase());
  const prefix = shared?.prefix ?? `t${randomBytes(5).toString('hex')}`;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    QUEUE_PREFIX: prefix,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    JWT_SECRET: 'test-secret-test-secret-test-secret',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    START_SMTP_RECEIVER: 'false',
    API_VALIDATE_RESPONSES: 'true',
    ...(useRedis() ? { REDIS_URL: TEST_REDIS_URL } : {}),
    ...overrides,
  };
  const hub = await bootstrap(env);
  const url = hub.url.replace('localhost', '127.0.0.1');
  const api = async <T>(
    method: string,
    path: string,
    body?: unknown,
    token?: string | null,
  ): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = {};
    const auth = token === undefined ? adminToken : token;
    if (auth) headers.authorization = `Bearer ${auth}`;
    let payload: string | undefined;
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const res = await fetch(url + path, { method, headers, body: payload });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  };
  const login = async (email: string, password: string) => {
    const r = await api<{ accessToken: string }>(
      'POST',
      '/api/v1/auth/login',
      { email, password },
      null,
    );
    if (r.status !== 200) throw new Error(`login failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.accessToken;
  };
  let adminToken = '';
  adminToken = await login(ADMIN.email, ADMIN.password);
  let n = 0;
  return {
    hub,
    url,
    db,
    adminToken,
    env,
    api,
    login,
    async userToken(role, name) {
      const email = `${role}${++n}-${randomBytes(3).toString('hex')}@test.local`;
      const r = await api('POST', '/api/v1/users', {
        email,
        name: name ?? `${role} ${n}`,
        password: USER_PASSWORD,
        role,
      });
      if (r.status !== 201)
        throw new Error(`user creation failed: ${r.status} ${JSON.stringify(r.body)}`);
      return { id: (r.body as { id: string }).id, token: await login(email, USER_PASSWORD) };
    },
    async close() {
      await hub.close();
      if (!shared) await db.drop();
    },
  };
}

/** Polls `fn` until it returns a truthy value; fails with `what` after `timeoutMs`. */
/** A JSON request to a hub booted by a test itself (not through startTestApp), with a token if given. */
export async function hubCall(
  hub: RunningHub,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: any }> {
  const res = await fetch(hub.url.replace('localhost', '127.0.0.1') + path, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

export async function eventually<T>(
  fn: () => Promise<T | null | undefined | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
