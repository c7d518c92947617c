import { ModulesContainer } from '@nestjs/core';
import { io } from 'socket.io-client';
import { ApiKeysService } from '../../src/auth/api-keys/api-keys.service';
import { AuthGuard } from '../../src/auth/auth.guard';
import {
  permits,
  ROUTE_PERMISSIONS,
  routeKey,
  SOCKET_PERMISSIONS,
  type Permission,
} from '../../src/auth/permissions';
import { API_KEY_RESOURCES, scopeOfRoute } from '../../src/auth/api-keys/api-key-scopes';
import { compareWithTable, declaredRoutes } from '../../src/auth/route-table.check';
import { TokenService } from '../../src/auth/token.service';
import type { Role } from '../../src/common/names';
import { startTestApp, type TestApp } from '../support/test-app';

const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000000';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
/** What the guard itself says when it refuses; a route's own 401/403 (a webhook signature) differs. */
const GUARD_REFUSAL =
  /bearer token|invalid or expired token|needs one of the roles|not in the permission table|not open to API keys|needs the API key scope/;

type Caller = Role | 'anonymous' | 'key:read' | 'key:write';
const CALLERS: Array<Role | 'anonymous'> = [
  'anonymous',
  'admin',
  'supervisor',
  'agent',
  'marketer',
];

/** `/api/v1/customers/{id}` -> `/api/v1/customers/:id`, as Fastify registers it. */
const toFastify = (path: string) => path.replace(/\{([^}]+)\}/g, ':$1');

function concrete(url: string): string {
  return url.replace(/:([A-Za-z]+)/g, (_, name: string) =>
    name === 'id' || name.endsWith('Id') ? PLACEHOLDER_ID : 'placeholder',
  );
}

describe('Permission table, route by role', () => {
  let app: TestApp;
  const tokens: Partial<Record<Caller, string>> = {};
  let documented: string[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    // Not app.adminToken: the walk logs every caller out (POST /api/v1/auth/logout, walked last).
    for (const role of ['admin', 'supervisor', 'agent', 'marketer'] as const)
      tokens[role] = (await app.userToken(role)).token;
    for (const action of ['read', 'write'] as const) {
      const key = await app.api('POST', '/api/v1/api-keys', {
        name: `every ${action} scope`,
        scopes: API_KEY_RESOURCES.map((r) => `${r}:${action}`),
      });
      expect(key.status).toBe(201);
      tokens[`key:${action}`] = key.body.key as string;
    }
    const doc = await app.api<{ paths: Record<string, Record<string, unknown>> }>(
      'GET',
      '/docs/openapi.json',
      undefined,
      null,
    );
    expect(doc.status).toBe(200);
    documented = Object.entries(doc.body.paths).flatMap(([path, ops]) =>
      METHODS.filter((m) => ops[m]).map((m) => routeKey(m.toUpperCase(), toFastify(path))),
    );
  });
  afterAll(() => app.close());

  async function call(key: string, caller: Caller): Promise<{ status: number; message: string }> {
    const [method, url] = key.split(' ');
    const headers: Record<string, string> = {};
    if (caller !== 'anonymous') headers.authorization = `Bearer ${tokens[caller]}`;
    let body: string | undefined;
    if (method !== 'GET' && method !== 'DELETE') {
      headers['content-type'] = 'application/json';
      body = '{}';
    }
    const res = await fetch(app.url + concrete(url), { method, headers, body, redirect: 'manual' });
    // A stream (campaign progress) answers its head at once; its body is not needed.
    const text = res.headers.get('content-type')?.includes('text/event-stream')
      ? (await res.body?.cancel(), '')
      : await res.text();
    let message = text;
    try {
      message = String((JSON.parse(text) as { message?: unknown }).message ?? text);
    } catch {
      /* not JSON: the text is the message */
    }
    return { status: res.status, message };
  }

  it('has a row for every route of the OpenAPI document, and no row without a route', () => {
    const declared = declaredRoutes(app.hub.app.get(ModulesContainer));
    expect(documented.length).toBeGreaterThan(50);
    expect(documented.filter((k) => !ROUTE_PERMISSIONS[k])).toEqual([]);
    // Rows for routes the document leaves out (tracking, widget, metrics) must still be routes.
    expect(compareWithTable(declared)).toEqual({ missing: [], stale: [] });
    const undocumented = declared.filter((k) => !documented.includes(k));
    for (const k of undocumented) expect([k, ROUTE_PERMISSIONS[k].roles]).toEqual([k, 'public']);
    expect(documented.filter((k) => !declared.includes(k))).toEqual([]);
  });

  it('refuses each role exactly where the table says, and lets the allowed roles through', async () => {
    const declared = declaredRoutes(app.hub.app.get(ModulesContainer));
    const LOGOUT = 'POST /api/v1/auth/logout';
    const routes = [...new Set([...documented, ...declared])]
      .sort()
      .sort((a, b) => Number(a === LOGOUT) - Number(b === LOGOUT));
    const wrong: string[] = [];
    let checked = 0;
    for (const key of routes) {
      const permission: Permission = ROUTE_PERMISSIONS[key];
      for (const caller of CALLERS) {
        const r = await call(key, caller);
        checked++;
        const byGuard = (r.status === 401 || r.status === 403) && GUARD_REFUSAL.test(r.message);
        const allowed = permits(permission, caller === 'anonymous' ? null : caller);
        if (allowed && permission.roles !== 'public' && (r.status === 401 || r.status === 403))
          wrong.push(`${key} as ${caller}: ${r.status} ${r.message}`);
        else if (allowed && byGuard) wrong.push(`${key} as ${caller}: ${r.status} ${r.message}`);
        else if (!allowed && !byGuard)
          wrong.push(`${key} as ${caller}: expected a refusal, got ${r.status} ${r.message}`);
        else if (!allowed && caller === 'anonymous' && r.status !== 401)
          wrong.push(`${key} as anonymous: expected 401, got ${r.status}`);
        else if (!allowed && caller !== 'anonymous' && r.status !== 403)
          wrong.push(`${key} as ${caller}: expected 403, got ${r.status}`);
      }
    }
    console.log(
      `permission table: ${routes.length} routes (${documented.length} in the OpenAPI document) x ${CALLERS.length} callers = ${checked} checks`,
    );
    expect(wrong).toEqual([]);
  });

  it('lets an API key through exactly where its scopes reach, never to people-only routes', async () => {
    const declared = declaredRoutes(app.hub.app.get(ModulesContainer));
    const routes = [...new Set([...documented, ...declared])]
      .filter((k) => ROUTE_PERMISSIONS[k].roles !== 'public' && k !== 'POST /api/v1/auth/logout')
      .sort();
    const wrong: string[] = [];
    let open = 0;
    for (const key of routes) {
      const scope = scopeOfRoute(key);
      for (const caller of ['key:read', 'key:write'] as const) {
        const r = await call(key, caller);
        const byGuard = (r.status === 401 || r.status === 403) && GUARD_REFUSAL.test(r.message);
        const allowed = scope !== null && (caller === 'key:write' || scope.action === 'read');
        if (allowed) open++;
        if (allowed && byGuard) wrong.push(`${key} as ${caller}: ${r.status} ${r.message}`);
        else if (!allowed && !(byGuard && r.status === 403))
          wrong.push(`${key} as ${caller}: expected a 403, got ${r.status} ${r.message}`);
      }
    }
    expect(open).toBeGreaterThan(100);
    expect(wrong).toEqual([]);
  });

  it("states issue #15's rules: sandbox, consent, identities, conversation text", () => {
    const who = (key: string) =>
      (['admin', 'supervisor', 'agent', 'marketer'] as const).filter((r) =>
        permits(ROUTE_PERMISSIONS[key], r),
      );
    expect(who('POST /api/v1/sandbox/inbound')).toEqual(['admin']);
    expect(who('GET /api/v1/sandbox/outbox')).toEqual(['admin']);
    for (const key of [
      'POST /api/v1/customers/:id/consents',
      'POST /api/v1/customers',
      'POST /api/v1/customers/:id/merge',
    ])
      expect([key, who(key)]).toEqual([key, ['admin', 'supervisor']]);
    for (const key of [
      'GET /api/v1/messages/:id',
      'GET /api/v1/customers/:id/timeline',
      'GET /api/v1/attachments/:id',
      'GET /api/v1/conversations',
      'GET /api/v1/conversations/:id',
    ]) {
      expect([key, who(key)]).toEqual([key, ['admin', 'supervisor', 'agent']]);
      expect([key, ROUTE_PERMISSIONS[key].visibility]).toEqual([key, 'team']);
    }
    const conversationText = Object.entries(ROUTE_PERMISSIONS).filter(
      ([, p]) => p.visibility !== 'none',
    );
    for (const [key, p] of conversationText)
      expect([key, permits(p, 'marketer')]).toEqual([key, false]);
  });

  it('lets whoever sees a customer see its contact budget, and no conversation text', () => {
    const key = 'GET /api/v1/customers/:id/contact-budget';
    const who = (k: string) =>
      (['admin', 'supervisor', 'agent', 'marketer'] as const).filter((r) =>
        permits(ROUTE_PERMISSIONS[k], r),
      );
    expect(who(key)).toEqual(who('GET /api/v1/customers/:id'));
    expect(ROUTE_PERMISSIONS[key].visibility).toBe('none');
  });

  it("states the customer panel's rules: whoever sees a customer sees its duplicates and campaigns; managers merge", () => {
    const who = (k: string) =>
      (['admin', 'supervisor', 'agent', 'marketer'] as const).filter((r) =>
        permits(ROUTE_PERMISSIONS[k], r),
      );
    for (const key of [
      'GET /api/v1/customers/:id/duplicates',
      'GET /api/v1/customers/:id/campaigns',
    ]) {
      expect([key, who(key)]).toEqual([key, who('GET /api/v1/customers/:id')]);
      expect([key, ROUTE_PERMISSIONS[key].visibility]).toEqual([key, 'none']);
    }
    expect(who('POST /api/v1/customers/:id/merge')).toEqual(['admin', 'supervisor']);
  });

  it("states issue #20's rules: whoever sees a customer issues a preference link; the pages are public", () => {
    const who = (key: string) =>
      (['admin', 'supervisor', 'agent', 'marketer'] as const).filter((r) =>
        permits(ROUTE_PERMISSIONS[key], r),
      );
    for (const key of [
      'POST /api/v1/customers/:id/preference-link',
      'GET /api/v1/customers/:id/preference-link',
    ])
      expect([key, who(key)]).toEqual([key, who('GET /api/v1/customers/:id')]);
    for (const key of [
      'GET /p/:token',
      'POST /p/:token/matrix',
      'POST /p/:token/quiet-hours',
      'POST /p/:token/consent',
      'GET /u/:token',
      'POST /u/:token',
    ])
      expect([key, ROUTE_PERMISSIONS[key].roles]).toEqual([key, 'public']);
  });

  it('refuses a route that has no row, naming the table', async () => {
    const key = 'GET /api/v1/teams';
    const row = ROUTE_PERMISSIONS[key];
    delete ROUTE_PERMISSIONS[key];
    try {
      const r = await app.api('GET', '/api/v1/teams');
      expect(r.status).toBe(403);
      expect(r.body.message).toBe(
        'GET /api/v1/teams is not in the permission table, so it is refused',
      );
    } finally {
      ROUTE_PERMISSIONS[key] = row;
    }
    expect((await app.api('GET', '/api/v1/teams')).status).toBe(200);
  });

  it('refuses a socket event that has no row, naming the table', async () => {
    const socket = io(`${app.url}/agents`, {
      auth: { token: app.adminToken },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    const key = '/agents presence';
    const row = SOCKET_PERMISSIONS[key];
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      delete SOCKET_PERMISSIONS[key];
      const refused = new Promise<{ message: string }>((resolve) =>
        socket.once('exception', resolve),
      );
      socket.emit('presence', { status: 'away' });
      expect((await refused).message).toBe(
        '/agents presence is not in the permission table, so it is refused',
      );
    } finally {
      SOCKET_PERMISSIONS[key] = row;
      socket.disconnect();
    }
  });

  it('does not start with a route missing from the table', () => {
    const guard = new AuthGuard(
      app.hub.app.get(TokenService),
      app.hub.app.get(ApiKeysService),
      app.hub.app.get(ModulesContainer),
    );
    expect(() => guard.onApplicationBootstrap()).not.toThrow();
    const key = 'POST /api/v1/customers/:id/merge';
    const row = ROUTE_PERMISSIONS[key];
    delete ROUTE_PERMISSIONS[key];
    try {
      expect(() => guard.onApplicationBootstrap()).toThrow(
        'routes missing from src/auth/permissions.ts: POST /api/v1/customers/:id/merge',
      );
    } finally {
      ROUTE_PERMISSIONS[key] = row;
    }
  });
});
