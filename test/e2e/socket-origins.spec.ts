import { io, type Socket } from 'socket.io-client';
import { startTestApp, type TestApp } from '../support/test-app';

const HUB = 'https://hub.example.com';
const SHOP = 'https://shop.example.com';
const EVIL = 'https://evil.example';

const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.disconnect();
});

function connect(app: TestApp, namespace: string, origin?: string, auth: object = {}): Socket {
  const s = io(`${app.url}${namespace}`, {
    auth,
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    ...(origin === undefined ? {} : { extraHeaders: { origin } }),
  });
  sockets.push(s);
  return s;
}

/** 'connected', or the connect_error's message. */
const outcome = (s: Socket) =>
  new Promise<string>((resolve) => {
    s.once('connect', () => resolve('connected'));
    s.once('connect_error', (e: Error) => resolve(e.message));
  });

describe('socket.io origins with ALLOWED_ORIGINS unset', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ PUBLIC_URL: HUB });
  });
  afterAll(() => app?.close());

  it('refuses a foreign page on /agents, even with a valid token', async () => {
    const auth = { token: app.adminToken };
    await expect(outcome(connect(app, '/agents', EVIL, auth))).resolves.toBe(
      `origin ${EVIL} is not allowed on /agents (ALLOWED_ORIGINS)`,
    );
    await expect(outcome(connect(app, '/agents', 'null', auth))).resolves.toMatch(/not allowed/);
  });

  it("accepts the hub's own pages (PUBLIC_URL, its Host) and clients that send no Origin", async () => {
    const auth = { token: app.adminToken };
    await expect(outcome(connect(app, '/agents', HUB, auth))).resolves.toBe('connected');
    await expect(outcome(connect(app, '/agents', app.url, auth))).resolves.toBe('connected');
    await expect(outcome(connect(app, '/agents', undefined, auth))).resolves.toBe('connected');
  });

  it('lets the widget chat from any site', async () => {
    const s = connect(app, '/chat', EVIL);
    const session = new Promise<{ visitorToken?: string }>((r) => s.once('session', r));
    await expect(outcome(s)).resolves.toBe('connected');
    await expect(session).resolves.toMatchObject({ visitorToken: expect.any(String) });
  });
});

describe('socket.io origins with ALLOWED_ORIGINS set', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      PUBLIC_URL: HUB,
      ALLOWED_ORIGINS: `${SHOP}/, http://localhost:5173`,
    });
  });
  afterAll(() => app?.close());

  it('takes /chat only from the listed sites and the hub, and refuses before any visitor is made', async () => {
    await expect(outcome(connect(app, '/chat', SHOP))).resolves.toBe('connected');
    await expect(outcome(connect(app, '/chat', HUB))).resolves.toBe('connected');
    const refused = connect(app, '/chat', EVIL);
    let session = false;
    refused.on('session', () => (session = true));
    await expect(outcome(refused)).resolves.toBe(
      `origin ${EVIL} is not allowed on /chat (ALLOWED_ORIGINS)`,
    );
    expect(session).toBe(false);
  });

  it('takes /agents from the listed origins and refuses the others', async () => {
    const auth = { token: app.adminToken };
    await expect(outcome(connect(app, '/agents', 'http://localhost:5173', auth))).resolves.toBe(
      'connected',
    );
    await expect(outcome(connect(app, '/agents', EVIL, auth))).resolves.toMatch(/not allowed/);
  });
});

describe('ALLOWED_ORIGINS validation', () => {
  it('names a bad entry at start', async () => {
    await expect(
      startTestApp({ ALLOWED_ORIGINS: 'https://shop.example.com/checkout' }),
    ).rejects.toThrow(/ALLOWED_ORIGINS.*origin such as https:\/\/shop\.example\.com/);
  });
});
