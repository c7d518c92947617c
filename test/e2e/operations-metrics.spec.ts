import { io, type Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { orderShippedIntent } from '../support/intents';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

/** One sample of a Prometheus text exposition whose labels include `labels`, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)].map((l) => [l[1], l[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

const scrape = async (app: TestApp) => {
  const r = await fetch(`${app.url}/metrics`);
  expect(r.status).toBe(200);
  return r.text();
};

/** Waits until the sample reads `value`; answers the scrape that did. */
const until = (app: TestApp, name: string, labels: Record<string, string>, value: number) =>
  eventually(
    async () => {
      const text = await scrape(app);
      return sample(text, name, labels) === value ? text : null;
    },
    `${name}${JSON.stringify(labels)} = ${value}`,
  );

const shipped = (customerId: string, extra: Record<string, unknown> = {}) =>
  orderShippedIntent(customerId, 'M-1', extra);

let seq = 0;
const phone = () => `+861390077${String(1000 + ++seq).padStart(4, '0')}`;

describe('operations metrics on /metrics', () => {
  // SMS fails every send, and one failure opens its circuit.
  let app: TestApp;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    app = await startTestApp({
      SANDBOX_BEHAVIOUR: 'sms=fail',
      CIRCUIT_FAILURES: '1',
      CIRCUIT_COOLDOWN_SECONDS: '600',
    });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await app.close();
  });

  const open = (path: string, auth: Record<string, string>) => {
    const s = io(`${app.url}${path}`, {
      auth,
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    sockets.push(s);
    return s;
  };

  it('counts the socket.io connections open per namespace, and lets them go on disconnect', async () => {
    const agent = await app.userToken('agent');
    const agentSocket = open('/agents', { token: agent.token });
    const visitor = open('/chat', {});
    await Promise.all([
      new Promise((resolve) => agentSocket.once('connect', () => resolve(null))),
      new Promise((resolve) => visitor.once('session', resolve)),
    ]);
    const text = await until(app, 'hub_realtime_connections', { namespace: '/agents' }, 1);
    expect(sample(text, 'hub_realtime_connections', { namespace: '/chat' })).toBe(1);
    agentSocket.disconnect();
    visitor.disconnect();
    await until(app, 'hub_realtime_connections', { namespace: '/agents' }, 0);
    await until(app, 'hub_realtime_connections', { namespace: '/chat' }, 0);
  });

  it('shows a failing provider as down, and /health says which circuit is open without going down', async () => {
    const before = await scrape(app);
    expect(sample(before, 'hub_channel_health', { channel: 'sms', transport: 'sandbox' })).toBe(1);
    const c = await app.api('POST', '/api/v1/customers', {
      displayName: 'Failing sms',
      identities: [{ channel: 'sms', address: phone() }],
    });
    expect(c.status).toBe(201);
    const m = await app.api('POST', '/api/v1/messages', shipped(c.body.id));
    expect(m.status).toBe(202);
    expect(m.body.route.channel).toBe('sms');

    const text = await until(app, 'hub_channel_health', { channel: 'sms' }, 0);
    expect(sample(text, 'hub_channel_health', { channel: 'email' })).toBe(1);
    expect(
      sample(text, 'hub_outbound_messages_total', { channel: 'sms', outcome: 'transient' }),
    ).toBeGreaterThanOrEqual(1);
    const health = await app.api('GET', '/health', undefined, null);
    expect(health.status).toBe(200);
    expect(health.body.details.channels.sms).toMatchObject({ status: 'up', circuit: 'down' });
    expect(health.body.details.channels.email).toMatchObject({ circuit: 'up' });
  });

  it('counts delivery statuses by channel and status, and SLA breaches by kind', async () => {
    const c = await app.api('POST', '/api/v1/customers', {
      displayName: 'Email reader',
      identities: [{ channel: 'email', address: `reader-${Date.now()}@example.com` }],
    });
    const m = await app.api('POST', '/api/v1/messages', shipped(c.body.id));
    expect(m.body.route.channel).toBe('email');
    await until(app, 'hub_delivery_statuses_total', { channel: 'email', status: 'delivered' }, 1);

    const policy = await app.api('POST', '/api/v1/sla-policies', {
      name: 'instant sms',
      channel: 'sms',
      firstResponseSeconds: 1,
    });
    expect(policy.status).toBe(201);
    const inbound = await app.api('POST', '/api/v1/sandbox/inbound', {
      channel: 'sms',
      from: phone(),
      text: 'is anyone there?',
    });
    expect(inbound.status).toBeLessThan(300);
    await until(app, 'hub_sla_breaches_total', { kind: 'first_response' }, 1);
  });
});

describe('the queue backlog on /metrics', () => {
  // An API-only process queues without consuming, so what it queues stays in the backlog.
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp({ PROCESS_ROLE: 'api' });
  });
  afterAll(() => api.close());

  it('shows due and scheduled jobs per queue, and how long the oldest due one has waited', async () => {
    const empty = await scrape(api);
    const queue = 'delivery-sms';
    expect(sample(empty, 'hub_outbox_jobs', { queue, state: 'due' })).toBeUndefined();

    const c = await api.api('POST', '/api/v1/customers', {
      displayName: 'Backlog',
      timezone: 'UTC',
      identities: [{ channel: 'sms', address: phone() }],
    });
    for (const key of ['a', 'b']) {
      const m = await api.api(
        'POST',
        '/api/v1/messages',
        shipped(c.body.id, { idempotencyKey: key }),
      );
      expect(m.status).toBe(202);
    }
    const hh = (h: number) => `${String((h + 24) % 24).padStart(2, '0')}:00`;
    const hour = new Date().getUTCHours();
    const quiet = await api.api('POST', '/api/v1/customers', {
      displayName: 'Asleep',
      timezone: 'UTC',
      identities: [{ channel: 'sms', address: phone() }],
    });
    await api.api('PUT', `/api/v1/customers/${quiet.body.id}/preferences`, {
      matrix: [],
      quietHours: { start: hh(hour - 1), end: hh(hour + 2) },
    });
    const later = await api.api(
      'POST',
      '/api/v1/messages',
      shipped(quiet.body.id, { urgency: 'normal' }),
    );
    expect(later.status).toBe(202);

    const text = await scrape(api);
    expect(sample(text, 'hub_outbox_jobs', { queue, state: 'due' })).toBe(2);
    expect(sample(text, 'hub_outbox_jobs', { queue, state: 'scheduled' })).toBe(1);
    expect(sample(text, 'hub_outbox_jobs', { queue, state: 'running' })).toBe(0);

    expect(sample(text, 'hub_outbox_oldest_due_seconds', { queue })).toBeLessThan(60);

    await api.hub.app
      .get(DataSource)
      .query(
        `UPDATE outbox_jobs SET run_at = now() - interval '5 minutes' WHERE queue = $1 AND status = 'pending' AND run_at <= now()`,
        [queue],
      );
    const lagging = await scrape(api);
    expect(sample(lagging, 'hub_outbox_oldest_due_seconds', { queue })).toBeGreaterThanOrEqual(300);
    expect(sample(lagging, 'hub_outbox_jobs', { queue, state: 'due' })).toBe(2);
  });
});
