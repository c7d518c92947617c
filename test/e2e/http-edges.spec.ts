import { startTestApp, type TestApp } from '../support/test-app';

/**
 * What clients see of the HTTP server itself, whatever serves it: path matching, bodies the
 * handlers did not ask for, request ids and the request metrics.
 */
describe('HTTP edges', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const raw = (path: string, init: RequestInit = {}) =>
    fetch(app.url + path, {
      ...init,
      headers: { authorization: `Bearer ${app.adminToken}`, ...(init.headers ?? {}) },
    });
  /** A customer posted as the given content type, body as is. */
  const postCustomer = (contentType: string, body: string) =>
    raw('/api/v1/customers', { method: 'POST', headers: { 'content-type': contentType }, body });

  it('matches paths whatever their case, with or without a trailing slash', async () => {
    const created = await app.api('POST', '/api/v1/customers', { displayName: 'Edges' });
    expect(created.status).toBe(201);
    for (const path of [
      `/api/v1/customers/${created.body.id}/`,
      `/API/V1/Customers/${created.body.id}`,
    ]) {
      const r = await app.api('GET', path);
      expect(r.status).toBe(200);
      expect(r.body.displayName).toBe('Edges');
    }
  });

  it('reads an empty JSON body as an empty object, answered by the validation', async () => {
    const r = await postCustomer('application/json', '');
    expect(r.status).toBe(400);
    expect(((await r.json()) as { message: string }).message).toMatch(/^displayName: /);
  });

  it('refuses a body of a type the endpoint does not read with 400 naming the body', async () => {
    const r = await postCustomer(
      'application/xml',
      '<customer><displayName>X</displayName></customer>',
    );
    expect(r.status).toBe(400);
    const body = (await r.json()) as { message: string; statusCode: number };
    expect(body.statusCode).toBe(400);
    expect(body.message).toMatch(/body|displayName/);
  });

  it('refuses a JSON body that would replace an object prototype', async () => {
    const r = await postCustomer(
      'application/json',
      '{"displayName": "P", "__proto__": {"role": "admin"}}',
    );
    expect(r.status).toBe(400);
    expect(((await r.json()) as { message: string }).message).toMatch(
      /^malformed JSON body: .*forbidden prototype property/,
    );
  });

  it('answers an oversize body of an unread type with 413 naming the limit', async () => {
    const r = await postCustomer('application/xml', 'x'.repeat(1_100_000));
    expect(r.status).toBe(413);
    expect(((await r.json()) as { message: string }).message).toMatch(/BODY_LIMIT/);
  });

  it('echoes X-Request-Id, makes one up otherwise, and names it as the correlation id of an error', async () => {
    const given = await raw('/api/v1/auth/me', { headers: { 'x-request-id': 'edge-req-1' } });
    expect(given.status).toBe(200);
    expect(given.headers.get('x-request-id')).toBe('edge-req-1');
    const made = await raw('/api/v1/auth/me');
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const failed = await raw('/api/v1/customers/not-a-uuid', {
      headers: { 'x-request-id': 'edge-req-2' },
    });
    expect(failed.status).toBe(400);
    expect(failed.headers.get('x-request-id')).toBe('edge-req-2');
    expect(((await failed.json()) as { correlationId: string }).correlationId).toBe('edge-req-2');
  });

  it('answers an unknown route with 404 naming it, and counts requests by route pattern', async () => {
    const missing = await raw('/api/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { message: string }).message).toMatch(/nothing-here/);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(
      /hub_http_request_duration_seconds_count\{[^}]*route="\/api\/v1\/customers\/:id"[^}]*status="400"/,
    );
    expect(metrics).toMatch(/hub_http_request_duration_seconds_count\{[^}]*route="unmatched"/);
  });

  it('takes a one-click unsubscribe posted as multipart form data (RFC 8058 allows either)', async () => {
    const form = new FormData();
    form.set('List-Unsubscribe', 'One-Click');
    const r = await fetch(`${app.url}/u/not-a-signed-token`, { method: 'POST', body: form });
    // The body is accepted; the tampered token is what is refused.
    expect(r.status).toBe(400);
    expect(((await r.json()) as { message: string }).message).toMatch(/^token: /);
  });
});
