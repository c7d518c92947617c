import http from 'http';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * A request whose body the test writes itself and never ends: resolves with the answer the
 * server gives while the client is still sending (or holding back) the body.
 */
function answerBeforeEnd(
  url: string,
  headers: Record<string, string>,
  write: (req: http.ClientRequest) => void,
): Promise<{ status: number; body: { message?: string } }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as { message?: string } });
        req.destroy();
      });
    });
    req.on('error', reject);
    write(req);
  });
}

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

  it('refuses a text or binary body past BODY_LIMIT on any route but the e-mail webhook', async () => {
    for (const type of ['text/plain', 'application/octet-stream', 'message/rfc822']) {
      const r = await postCustomer(type, 'x'.repeat(1_100_000));
      expect(r.status).toBe(413);
      expect(((await r.json()) as { message: string }).message).toMatch(/BODY_LIMIT/);
    }
  });

  it('answers a Content-Length past BODY_LIMIT with 413 before any of the body is sent', async () => {
    const r = await answerBeforeEnd(
      `${app.url}/api/v1/customers`,
      { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) },
      (req) => req.flushHeaders(),
    );
    expect(r.status).toBe(413);
    expect(r.body.message).toMatch(/BODY_LIMIT/);
  });

  it('stops reading a chunked body at BODY_LIMIT and answers 413 while it is still being sent', async () => {
    for (const type of ['application/json', 'text/plain']) {
      const r = await answerBeforeEnd(
        `${app.url}/api/v1/customers`,
        { 'content-type': type, 'transfer-encoding': 'chunked' },
        (req) => {
          // 1.25 MiB (past the 1 MiB limit), then nothing more and no end.
          for (let i = 0; i < 20; i++) req.write('x'.repeat(64 * 1024));
        },
      );
      expect(r.status).toBe(413);
      expect(r.body.message).toMatch(/BODY_LIMIT/);
    }
  });

  it('reads a large body on the e-mail webhook only as raw MIME from a caller with its secret', async () => {
    const hub = await startTestApp(
      { EMAIL_WEBHOOK_SECRET: 'edge-secret-123', EMAIL_MAX_BYTES: '5000000' },
      { db: app.db, prefix: `${app.env.QUEUE_PREFIX}m` },
    );
    try {
      const big = 'x'.repeat(1_500_000);
      const post = (type: string, secret?: string) =>
        fetch(`${hub.url}/webhooks/email/inbound`, {
          method: 'POST',
          headers: { 'content-type': type, ...(secret ? { 'x-webhook-secret': secret } : {}) },
          body: big,
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as { message: string } }));
      // With the secret, raw MIME past BODY_LIMIT reaches the handler (which parses it).
      const mime = await post('message/rfc822', 'edge-secret-123');
      expect(mime.status).not.toBe(413);
      for (const [type, secret] of [
        ['message/rfc822', undefined],
        ['message/rfc822', 'wrong-secret-000'],
        ['application/json', 'edge-secret-123'],
        ['application/xml', 'edge-secret-123'],
      ] as const) {
        const r = await post(type, secret);
        expect({ type, secret, status: r.status }).toEqual({ type, secret, status: 413 });
        expect(r.body.message).toMatch(/BODY_LIMIT/);
      }
      // Chunked, without the secret: cut off at the limit, not read to its end.
      const chunked = await answerBeforeEnd(
        `${hub.url}/webhooks/email/inbound`,
        { 'content-type': 'message/rfc822', 'transfer-encoding': 'chunked' },
        (req) => {
          for (let i = 0; i < 20; i++) req.write('x'.repeat(64 * 1024));
        },
      );
      expect(chunked.status).toBe(413);
    } finally {
      await hub.close();
    }
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
