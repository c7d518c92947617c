import { chromium, type Browser } from 'playwright-core';
import { LoginResponse, UserResponse } from '../../src/auth/auth.responses';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app';

type Json = Record<string, any>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function operations(doc: Json): Array<{ name: string; op: Json }> {
  return Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({
      name: `${m.toUpperCase()} ${path}`,
      op: item[m],
    })),
  );
}

/** Every request-body and response schema of the document, named by where it sits. */
function schemas(doc: Json): Array<{ where: string; schema: Json }> {
  return operations(doc).flatMap(({ name, op }) => [
    ...Object.values<Json>(op.requestBody?.content ?? {}).map((c) => ({
      where: `${name} body`,
      schema: c.schema as Json,
    })),
    ...Object.entries<Json>(op.responses ?? {}).flatMap(([status, r]) =>
      Object.values<Json>(r.content ?? {}).map((c) => ({
        where: `${name} ${status}`,
        schema: c.schema as Json,
      })),
    ),
  ]);
}

/** JSON Schema 2020-12 keywords that OpenAPI 3.0 (and so Swagger UI's example maker) lacks. */
function notOpenApi30(node: unknown, at: string, found: string[]): string[] {
  if (Array.isArray(node)) node.forEach((n, i) => notOpenApi30(n, `${at}/${i}`, found));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (['$schema', 'prefixItems', 'propertyNames', 'const', '$defs'].includes(k))
        found.push(`${at}: ${k}`);
      if (k === 'type' && (Array.isArray(v) || v === 'null'))
        found.push(`${at}: type ${JSON.stringify(v)}`);
      if (k !== 'example' && k !== 'default') notOpenApi30(v, `${at}/${k}`, found);
    }
  }
  return found;
}

describe('the OpenAPI document (/docs/openapi.json)', () => {
  let app: TestApp;
  let doc: Json;
  let browser: Browser | undefined;
  beforeAll(async () => {
    app = await startTestApp();
    const r = await app.api<Json>('GET', '/docs/openapi.json', undefined, null);
    expect(r.status).toBe(200);
    doc = r.body;
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('gives every operation a summary', () => {
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThan(60);
    expect(ops.filter(({ op }) => !op.summary?.trim()).map(({ name }) => name)).toEqual([]);
  });

  it('documents every JSON request body with an OpenAPI 3.0 schema, and nowhere says "Unknown Type"', () => {
    expect(JSON.stringify(doc)).not.toMatch(/Unknown Type/i);
    const bodies = schemas(doc).filter((s) => s.where.endsWith(' body'));
    expect(bodies.length).toBeGreaterThanOrEqual(25);
    for (const { where, schema } of bodies)
      expect([where, schema.type ?? schema.$ref]).toEqual([where, expect.anything()]);
    expect(notOpenApi30(doc.paths, '#/paths', [])).toEqual([]);
  });

  it('has Swagger UI make a real example of every schema, without "Unknown Type"', async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox'],
    });
    const page = await browser.newPage();
    await page.goto(`${app.url}/docs`);
    await page.waitForFunction(
      () => (globalThis as any).ui?.specSelectors?.specJson?.()?.get?.('paths') !== undefined,
    );
    // The "Example Value" Swagger UI shows beside each body and response, made the way it makes it.
    const examples = await page.evaluate((list) => {
      const fn = (globalThis as any).ui.getSystem().fn;
      return list.map(({ where, schema }) => {
        const sample = fn.getSampleSchema(schema, 'application/json', {});
        return { where, sample: typeof sample === 'string' ? sample : JSON.stringify(sample) };
      });
    }, schemas(doc));
    expect(examples.length).toBeGreaterThanOrEqual(25);
    expect(examples.filter((e) => /Unknown Type/.test(e.sample))).toEqual([]);
  });

  it('documents responses as the routes answer them', async () => {
    const documented = (path: string, method: string, status: string): Json =>
      doc.paths[path][method].responses[status].content['application/json'].schema;
    const login = await app.api<Json>('POST', '/api/v1/auth/login', ADMIN, null);
    expect(LoginResponse.safeParse(login.body).error).toBeUndefined();
    expect(Object.keys(login.body)).toEqual(
      expect.arrayContaining(documented('/api/v1/auth/login', 'post', '200').required),
    );
    const me = await app.api<Json>('GET', '/api/v1/auth/me');
    expect(UserResponse.safeParse(me.body).error).toBeUndefined();
    const props = Object.keys(documented('/api/v1/auth/me', 'get', '200').properties);
    expect(Object.keys(me.body).filter((k) => !props.includes(k))).toEqual([]);
  });
});
