import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../support/test-app';

/** API keys (issue 21): shown once, stored hashed, scoped, revocable, expiring, rate limited, audited. */
const LIMIT = 12;
let app: TestApp;
let db: DataSource;

beforeAll(async () => {
  app = await startTestApp({ API_KEY_REQUESTS_PER_MINUTE: String(LIMIT) });
  db = app.hub.app.get(DataSource);
});
afterAll(() => app.close());

async function newKey(body: Record<string, unknown>, token?: string) {
  const r = await app.api('POST', '/api/v1/api-keys', body, token);
  expect(r.status).toBe(201);
  return r.body as { id: string; key: string; prefix: string };
}
const withKey = (key: string, method: string, path: string, body?: unknown) =>
  app.api(method, path, body, key);

describe('API keys', () => {
  it('shows the key once and keeps only its hash', async () => {
    const made = await newKey({ name: 'CRM sync', scopes: ['customers:read'] });
    expect(made.key).toMatch(/^hub_[A-Za-z0-9_-]{43}$/);
    expect(made.key.startsWith(made.prefix)).toBe(true);
    const list = await app.api('GET', '/api/v1/api-keys');
    const listed = list.body.items.find((k: { id: string }) => k.id === made.id);
    expect(listed).toMatchObject({ name: 'CRM sync', scopes: ['customers:read'], revokedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(made.key);
    const rows = (await db.query(`SELECT * FROM api_keys WHERE id = $1`, [made.id])) as Array<
      Record<string, unknown>
    >;
    expect(JSON.stringify(rows)).not.toContain(made.key.slice(made.prefix.length));
  });

  it('reads with a read scope and cannot write, naming the scope it lacks', async () => {
    const { key } = await newKey({ name: 'reader', scopes: ['customers:read'] });
    const created = await app.api('POST', '/api/v1/customers', {
      displayName: '赵敏',
      identities: [{ channel: 'email', address: 'zhaomin@example.cn' }],
    });
    expect(
      (await withKey(key, 'GET', `/api/v1/customers/${created.body.id}`)).body.displayName,
    ).toBe('赵敏');
    const write = await withKey(key, 'PATCH', `/api/v1/customers/${created.body.id}`, {
      displayName: 'x',
    });
    expect(write.status).toBe(403);
    expect(write.body.message).toMatch(/needs the API key scope customers:write/);
    const other = await withKey(key, 'GET', '/api/v1/campaigns');
    expect(other.status).toBe(403);
    expect(other.body.message).toMatch(/campaigns:read or campaigns:write/);
    for (const [method, path] of [
      ['GET', '/api/v1/users'],
      ['POST', '/api/v1/api-keys'],
      ['GET', '/api/v1/auth/me'],
    ]) {
      const r = await withKey(
        key,
        method,
        path,
        method === 'POST' ? { name: 'x', scopes: ['customers:read'] } : undefined,
      );
      expect([path, r.status, r.body.message]).toEqual([
        path,
        403,
        expect.stringMatching(/not open to API keys/),
      ]);
    }
  });

  it('writes with a write scope, acting for the admin who made it, and audits each use', async () => {
    const { id, key } = await newKey({ name: 'shop', scopes: ['customers:write'] });
    const made = await withKey(key, 'POST', '/api/v1/customers', {
      displayName: 'Shop buyer',
      identities: [{ channel: 'email', address: 'buyer@example.com' }],
    });
    expect(made.status).toBe(201);
    expect((await withKey(key, 'GET', `/api/v1/customers/${made.body.id}`)).status).toBe(200);
    const uses = (await db.query(
      `SELECT a.actor_id, a.details FROM audit_log a WHERE a.action = 'api_key.use' AND a.entity_id = $1 ORDER BY a.created_at`,
      [id],
    )) as Array<{ actor_id: string; details: { route: string } }>;
    expect(uses.map((u) => u.details.route)).toEqual([
      'POST /api/v1/customers',
      'GET /api/v1/customers/:id',
    ]);
    const admin = (await app.api('GET', '/api/v1/auth/me')).body.id as string;
    expect(uses.every((u) => u.actor_id === admin)).toBe(true);
    const listed = (await app.api('GET', '/api/v1/api-keys')).body.items.find(
      (k: { id: string }) => k.id === id,
    );
    expect(listed.lastUsedAt).not.toBeNull();
  });

  it('holds a key with a role to that role as well', async () => {
    const { key } = await newKey({
      name: 'as agent',
      scopes: ['campaigns:read', 'conversations:read'],
      role: 'agent',
    });
    const r = await withKey(key, 'GET', '/api/v1/campaigns');
    expect(r.status).toBe(403);
    expect(r.body.message).toMatch(/needs one of the roles/);
    expect((await withKey(key, 'GET', '/api/v1/conversations')).status).toBe(200);
  });

  it('stops a key at once when revoked, expired or its admin is deactivated', async () => {
    const revoked = await newKey({ name: 'to revoke', scopes: ['templates:read'] });
    expect((await withKey(revoked.key, 'GET', '/api/v1/templates')).status).toBe(200);
    expect((await app.api('DELETE', `/api/v1/api-keys/${revoked.id}`)).status).toBe(204);
    const after = await withKey(revoked.key, 'GET', '/api/v1/templates');
    expect([after.status, after.body.message]).toEqual([
      401,
      'API key refused: key "to revoke" was revoked',
    ]);
    expect((await app.api('DELETE', `/api/v1/api-keys/${revoked.id}`)).status).toBe(204);

    const expiring = await newKey({
      name: 'short lived',
      scopes: ['templates:read'],
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect((await withKey(expiring.key, 'GET', '/api/v1/templates')).status).toBe(200);
    await db.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      expiring.id,
    ]);
    const expired = await withKey(expiring.key, 'GET', '/api/v1/templates');
    expect([expired.status, expired.body.message]).toEqual([
      401,
      expect.stringMatching(/short lived" expired at/),
    ]);

    const other = await app.userToken('admin', 'Leaving admin');
    const owned = await newKey({ name: 'owned', scopes: ['templates:read'] }, other.token);
    expect((await withKey(owned.key, 'GET', '/api/v1/templates')).status).toBe(200);
    expect((await app.api('PATCH', `/api/v1/users/${other.id}`, { active: false })).status).toBe(
      200,
    );
    const gone = await withKey(owned.key, 'GET', '/api/v1/templates');
    expect([gone.status, gone.body.message]).toEqual([
      401,
      expect.stringMatching(/is deactivated/),
    ]);

    const unknown = await withKey('hub_' + 'x'.repeat(43), 'GET', '/api/v1/templates');
    expect([unknown.status, unknown.body.message]).toEqual([401, 'API key refused: unknown key']);
  });

  it('limits each key to API_KEY_REQUESTS_PER_MINUTE, with Retry-After', async () => {
    const busy = await newKey({ name: 'busy', scopes: ['templates:read'] });
    const quiet = await newKey({ name: 'quiet', scopes: ['templates:read'] });
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++)
      statuses.push((await withKey(busy.key, 'GET', '/api/v1/templates')).status);
    expect(statuses).toEqual(Array(LIMIT).fill(200));
    const res = await fetch(`${app.url}/api/v1/templates`, {
      headers: { authorization: `Bearer ${busy.key}` },
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await res.json()) as { message: string }).message).toMatch(
      /API key "busy" made more than 12 requests/,
    );
    expect((await withKey(quiet.key, 'GET', '/api/v1/templates')).status).toBe(200);
  });

  it.each([
    [{ name: 'x', scopes: ['customers:delete'] }, /scope is <resource>:read or <resource>:write/],
    [{ name: 'x', scopes: [] }, /at least one scope/],
    [{ name: '', scopes: ['customers:read'] }, /name/],
    [
      { name: 'x', scopes: ['customers:read'], expiresAt: '2001-01-01T00:00:00Z' },
      /expiresAt: must be in the future/,
    ],
    [{ name: 'x', scopes: ['customers:read'], role: 'owner' }, /role/],
    [{ name: 'x', scopes: ['customers:read'], extra: 1 }, /extra|unrecognized/i],
  ])('answers 400 naming the problem for %j', async (body, message) => {
    const r = await app.api('POST', '/api/v1/api-keys', body);
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toMatch(message);
  });

  it('is for admins only', async () => {
    const supervisor = (await app.userToken('supervisor')).token;
    expect((await app.api('GET', '/api/v1/api-keys', undefined, supervisor)).status).toBe(403);
    expect(
      (await app.api('DELETE', `/api/v1/api-keys/00000000-0000-4000-8000-000000000000`)).status,
    ).toBe(404);
  });
});
