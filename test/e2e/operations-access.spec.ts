import { startTestApp, type TestApp } from '../support/test-app';

const TOKEN = 'metrics-token-0123456789';

describe('METRICS_TOKEN on /metrics and /health', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ METRICS_TOKEN: TOKEN });
  });
  afterAll(() => app?.close());

  const get = (path: string, authorization?: string) =>
    fetch(app.url + path, { headers: authorization ? { authorization } : {} });

  it('refuses a scrape without the token, or with another one', async () => {
    for (const r of [
      await get('/metrics'),
      await get('/metrics', `Bearer ${TOKEN}x`),
      await get('/metrics?token=nope'),
      await get('/metrics', `Bearer ${app.adminToken}`),
    ]) {
      expect(r.status).toBe(401);
      expect(((await r.json()) as { message: string }).message).toMatch(/^METRICS_TOKEN: send it/);
    }
  });

  it('serves the scrape with the token as a bearer or in the query', async () => {
    for (const r of [
      await get('/metrics', `Bearer ${TOKEN}`),
      await get(`/metrics?token=${TOKEN}`),
    ]) {
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('hub_outbox_jobs');
    }
  });

  it('answers /health with its status alone without the token, with details with it', async () => {
    const bare = await get('/health');
    expect(bare.status).toBe(200);
    expect(await bare.json()).toEqual({ status: 'ok' });

    const full = await get('/health', `Bearer ${TOKEN}`);
    expect(full.status).toBe(200);
    const report = (await full.json()) as Record<string, any>;
    expect(report.status).toBe('ok');
    expect(report.details.database.status).toBe('up');
    expect(report.details.queue).toMatchObject({ status: 'up' });
    expect(Object.keys(report.details.channels)).toContain('sms');
    const query = (await (await get(`/health?token=${TOKEN}`)).json()) as Record<string, any>;
    expect(query.details).toBeDefined();
  });
});

describe('without METRICS_TOKEN', () => {
  it('leaves /metrics and the detailed /health open', async () => {
    const app = await startTestApp();
    try {
      expect((await fetch(`${app.url}/metrics`)).status).toBe(200);
      const health = (await (await fetch(`${app.url}/health`)).json()) as Record<string, any>;
      expect(health.details.database.status).toBe('up');
    } finally {
      await app.close();
    }
  });

  it('refuses a METRICS_TOKEN shorter than 16 characters at start', async () => {
    await expect(startTestApp({ METRICS_TOKEN: 'short' })).rejects.toThrow(
      /METRICS_TOKEN.*at least 16 characters/,
    );
  });
});
