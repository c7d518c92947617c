import { startTestApp, eventually, type TestApp } from '../support/test-app';
import { createHmac } from 'crypto';
import { io, type Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { OutboundService } from '../../src/delivery/outbound.service';

const SECRET = 'livechat-identity-secret-for-tests';
const hmac = (id: string, key = SECRET) => createHmac('sha256', key).update(id).digest('hex');

interface Payload {
  id?: string;
  text: string;
  direction: string;
}
interface Answer {
  customerId?: string;
  verified?: boolean;
  verification?: { channel?: string; to?: string; error?: string };
  error?: string;
}

/** One visitor's socket with everything it was sent, to prove what it never got. */
interface Visitor {
  socket: Socket;
  visitorId: string;
  token: string | undefined;
  got: Payload[];
}

describe('Live-chat identity: claims, identity hashes and one-time codes (LivechatIdentityService)', () => {
  let app: TestApp;
  const sockets: Socket[] = [];
  let addressNo = 0;

  beforeAll(async () => {
    app = await startTestApp({
      LIVECHAT_IDENTITY_SECRET: SECRET,
      CHAT_NEW_VISITORS_PER_MINUTE: '3',
    });
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(() => app.close());

  /**
   * A visitor from its own client address (X-Forwarded-For from a loopback peer), so the new
   * visitor limit of this file (3 a minute) is the limit test's alone.
   */
  const visit = async (
    auth: Record<string, string> = {},
    from = `198.51.100.${++addressNo}`,
  ): Promise<Visitor> => {
    const socket = io(`${app.url}/chat`, {
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: { 'x-forwarded-for': from },
    });
    sockets.push(socket);
    const got: Payload[] = [];
    socket.on('message', (m: Payload) => got.push(m));
    socket.on('history', (h: { messages: Payload[] }) => got.push(...h.messages));
    const session = await new Promise<{ visitorId: string; visitorToken?: string }>(
      (resolve, reject) => {
        socket.once('session', resolve);
        socket.once('connect_error', reject);
      },
    );
    return { socket, visitorId: session.visitorId, token: session.visitorToken, got };
  };
  const say = async (v: Visitor, text: string) => {
    const echoed = new Promise<void>((resolve) =>
      v.socket.on('message', (m: Payload) => m.text === text && resolve()),
    );
    const ack = (await v.socket.emitWithAck('message', { text })) as { id?: string };
    await echoed;
    return ack;
  };
  const identify = (v: Visitor, body: Record<string, unknown>) =>
    v.socket.emitWithAck('identify', body) as Promise<Answer>;
  const verify = (v: Visitor, code: unknown) =>
    v.socket.emitWithAck('verify', { code }) as Promise<Answer>;
  const customerOf = async (visitorId: string) => {
    const r = await app.api('GET', `/api/v1/customers?identity=livechat:${visitorId}`);
    return r.status === 200 ? (r.body.id as string) : null;
  };
  const newCustomer = async (
    name: string,
    identities: Array<{ channel: string; address: string }>,
  ) =>
    (await app.api('POST', '/api/v1/customers', { displayName: name, identities })).body
      .id as string;
  const openConversation = async (customerId: string) => {
    const rows = (await app.hub.app
      .get(DataSource)
      .query(`SELECT id FROM conversations WHERE customer_id = $1 AND status <> 'resolved'`, [
        customerId,
      ])) as Array<{ id: string }>;
    return rows[0]?.id ?? null;
  };
  const agentReply = (customerId: string, conversationId: string | null, text: string) =>
    app.hub.app.get(OutboundService).send({
      customerId,
      conversationId,
      channel: 'livechat',
      text,
      purpose: 'service',
    });
  /** The last code sent to the address (sandbox outbox), read from the message text. */
  const codeSentTo = (channel: 'email' | 'sms', to: string, besides: string[] = []) =>
    eventually(async () => {
      const r = await app.api(
        'GET',
        `/api/v1/sandbox/outbox?channel=${channel}&to=${encodeURIComponent(to)}`,
      );
      for (const item of r.body.items as Array<{ text: string }>) {
        const code = /\b(\d{6})\b/.exec(item.text)?.[1];
        if (code && !besides.includes(code)) return code;
      }
      return null;
    }, `the code sent to ${to}`);
  /** Waits for v's own echo: anything sent to v before it has arrived by then. */
  const roundTrip = (v: Visitor, text: string) => say(v, text);

  it('refuses forged and absent identity hashes: the stranger stays its own customer and gets none of her chat', async () => {
    const alice = await newCustomer('Alice Wang', [
      { channel: 'email', address: 'alice.wang@example.cn' },
    ]);
    // Alice's own visitor, linked by a hash the site signed.
    const real = await visit();
    const linked = await identify(real, {
      email: 'alice.wang@example.cn',
      identityHash: hmac('alice.wang@example.cn'),
    });
    expect(linked).toEqual({ customerId: alice, verified: true });
    await say(real, 'Please change my delivery address to 12 Nanjing Road');
    const conversationId = await openConversation(alice);
    expect(conversationId).not.toBeNull();

    const forgeries: Array<Record<string, unknown>> = [
      { email: 'alice.wang@example.cn' },
      { email: 'alice.wang@example.cn', identityHash: '' },
      { email: 'alice.wang@example.cn', identityHash: '0'.repeat(64) },
      {
        email: 'alice.wang@example.cn',
        identityHash: hmac('alice.wang@example.cn', 'another-secret-key-xx'),
      },
      { email: 'alice.wang@example.cn', identityHash: hmac('Alice.Wang@example.cn') },
      { email: 'alice.wang@example.cn', identityHash: hmac('bob@example.cn') },
      { email: 'alice.wang@example.cn', identityHash: hmac('alice.wang@example.cn').slice(0, 63) },
      { email: 'alice.wang@example.cn', identityHash: `${hmac('alice.wang@example.cn')}00` },
      {
        email: 'alice.wang@example.cn',
        externalId: 'alice',
        identityHash: hmac('alice.wang@example.cn'),
      },
      {
        email: 'ALICE.WANG@example.cn',
        name: 'Alice',
        identityHash: hmac('alice.wang@example.cn', ''),
      },
    ];
    const stranger = await visit();
    let refused = 0;
    for (const body of forgeries) {
      const answer = await identify(stranger, body);
      expect(answer.verified).toBe(false);
      expect(answer.customerId).not.toBe(alice);
      expect(await customerOf(stranger.visitorId)).toBe(answer.customerId);
      refused += 1;
    }
    expect(refused).toBe(forgeries.length);
    const strangerCustomer = (await customerOf(stranger.visitorId))!;

    // The claim is recorded, unverified, on the stranger's customer (and named on Alice's).
    const claims = await app.api('GET', `/api/v1/customers/${strangerCustomer}/identity-claims`);
    expect(claims.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'email',
          address: 'alice.wang@example.cn',
          verified: false,
        }),
      ]),
    );
    const onAlice = await app.api('GET', `/api/v1/customers/${alice}/identity-claims`);
    expect(
      (onAlice.body.items as Array<{ customerId: string; verified: boolean }>).some(
        (c) => c.customerId === strangerCustomer && !c.verified,
      ),
    ).toBe(true);

    // The agent answers Alice: her tab gets it, the stranger does not.
    const atReal = new Promise<Payload>((resolve) =>
      real.socket.on('message', (m: Payload) => m.direction === 'outbound' && resolve(m)),
    );
    const { message } = await agentReply(alice, conversationId, 'Done, 12 Nanjing Road it is.');
    expect(await atReal).toMatchObject({ id: message.id, text: 'Done, 12 Nanjing Road it is.' });
    await roundTrip(stranger, 'hello?');
    const seen = stranger.got.map((m) => m.text).join('\n');
    expect(seen).not.toContain('Nanjing Road');
    expect(stranger.got.filter((m) => m.direction === 'outbound')).toEqual([]);

    // Reconnecting with its token, the stranger's history is its own chat only.
    stranger.socket.disconnect();
    const back = await visit({ visitorToken: stranger.token! });
    await roundTrip(back, 'still me');
    expect(back.got.map((m) => m.text)).not.toContain(
      'Please change my delivery address to 12 Nanjing Road',
    );
    const timeline = await app.api('GET', `/api/v1/customers/${alice}/timeline`);
    expect(JSON.stringify(timeline.body.items)).not.toContain('hello?');
  });

  it('links with a valid hash of the E.164 phone or of the external id, and replies reach every visitor of that customer', async () => {
    const phoneOwner = await newCustomer('Zhao Lei', [
      { channel: 'sms', address: '+8613800138000' },
    ]);
    const v = await visit();
    const byPhone = await identify(v, {
      phone: '+86 138 0013 8000',
      identityHash: hmac('+8613800138000'),
    });
    expect(byPhone).toEqual({ customerId: phoneOwner, verified: true });
    expect(await customerOf(v.visitorId)).toBe(phoneOwner);

    const first = await visit();
    const a = await identify(first, {
      externalId: 'user-42',
      name: 'Sun Mei',
      identityHash: hmac('user-42'),
    });
    expect(a.verified).toBe(true);
    await say(first, 'from my laptop');
    const second = await visit();
    const b = await identify(second, { externalId: 'user-42', identityHash: hmac('user-42') });
    expect(b).toEqual({ customerId: a.customerId, verified: true });
    // The second device is shown the customer's chat once linked.
    await eventually(
      async () => second.got.some((m) => m.text === 'from my laptop'),
      'the history replayed to the linked visitor',
    );
    const c = await app.api('GET', `/api/v1/customers/${a.customerId}`);
    expect(c.body.displayName).toBe('Sun Mei');
    const both = Promise.all(
      [first, second].map(
        (x) =>
          new Promise<Payload>((resolve) =>
            x.socket.on('message', (m: Payload) => m.direction === 'outbound' && resolve(m)),
          ),
      ),
    );
    await agentReply(a.customerId!, await openConversation(a.customerId!), 'Hello Sun Mei');
    for (const m of await both) expect(m.text).toBe('Hello Sun Mei');
  });

  it('proves an e-mail claim by a code sent through the routing engine: a wrong code is refused, the right one links', async () => {
    const bob = await newCustomer('Bob Li', [{ channel: 'email', address: 'bob.li@example.cn' }]);
    const v = await visit();
    await say(v, 'where is my parcel?');
    const answer = await identify(v, { name: 'Bob', email: 'Bob.Li@example.cn' });
    expect(answer).toMatchObject({
      verified: false,
      verification: { channel: 'email', to: 'b***@example.cn', expiresInSeconds: 600 },
    });
    expect(answer.customerId).not.toBe(bob);
    const code = await codeSentTo('email', 'bob.li@example.cn');
    // Sent as a routed, transactional message of the verification template to Bob.
    const sent = (await app.hub.app
      .get(DataSource)
      .query(
        `SELECT customer_id, purpose, template, route FROM messages WHERE customer_id = $1 AND template = 'livechat-verification'`,
        [bob],
      )) as Array<{ purpose: string; route: { channel: string } }>;
    expect(sent[0]).toMatchObject({ purpose: 'transactional', route: { channel: 'email' } });

    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(await verify(v, wrong)).toEqual({ error: 'verify: code: wrong code, 4 attempts left' });
    expect(await verify(v, '12ab')).toEqual({
      error: 'verify: code: must be the 6 digits we sent',
    });
    expect(await customerOf(v.visitorId)).toBe(answer.customerId);

    const ok = await verify(v, code);
    expect(ok).toEqual({ customerId: bob, verified: true });
    expect(await customerOf(v.visitorId)).toBe(bob);
    const timeline = await app.api('GET', `/api/v1/customers/${bob}/timeline`);
    expect(JSON.stringify(timeline.body.items)).toContain('where is my parcel?');
    const reply = new Promise<Payload>((resolve) =>
      v.socket.on('message', (m: Payload) => m.direction === 'outbound' && resolve(m)),
    );
    await agentReply(bob, await openConversation(bob), 'It arrives tomorrow, Bob.');
    expect((await reply).text).toBe('It arrives tomorrow, Bob.');
    // A code is good once.
    expect((await verify(v, code)).error).toBe('verify: no code is pending, identify first');
  });

  it('sends the code to the address itself when nobody holds it, and the right code gives the visitor that identity', async () => {
    const v = await visit();
    const answer = await identify(v, { phone: '+8613900139000', locale: 'zh-CN' });
    expect(answer).toMatchObject({ verified: false, verification: { channel: 'sms' } });
    const code = await codeSentTo('sms', '+8613900139000');
    const text = (await app.api('GET', '/api/v1/sandbox/outbox?channel=sms&to=%2B8613900139000'))
      .body.items[0].text as string;
    expect(text).toContain('验证码');
    const ok = await verify(v, code);
    expect(ok.verified).toBe(true);
    const holder = await app.api('GET', '/api/v1/customers?identity=sms:%2B8613900139000');
    expect(holder.body.id).toBe(ok.customerId);
    expect(await customerOf(v.visitorId)).toBe(ok.customerId);
  });

  it('limits the attempts at a code: after five wrong ones even the right code is refused', async () => {
    const carol = await newCustomer('Carol Zhou', [
      { channel: 'email', address: 'carol.zhou@example.cn' },
    ]);
    const v = await visit();
    await identify(v, { email: 'carol.zhou@example.cn' });
    const code = await codeSentTo('email', 'carol.zhou@example.cn');
    const wrong = String((Number(code) + 7) % 1_000_000).padStart(6, '0');
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await verify(v, wrong)).error);
    expect(answers).toEqual([
      'verify: code: wrong code, 4 attempts left',
      'verify: code: wrong code, 3 attempts left',
      'verify: code: wrong code, 2 attempts left',
      'verify: code: wrong code, 1 attempt left',
      'verify: code: wrong code, no attempts left, identify again for a new code',
    ]);
    expect((await verify(v, code)).error).toBe(
      'verify: code: too many wrong attempts, identify again for a new code',
    );
    expect(await customerOf(v.visitorId)).not.toBe(carol);
    // Codes are not stored as sent.
    const stored = (await app.hub.app
      .get(DataSource)
      .query(`SELECT code_hash FROM livechat_identity_claims WHERE visitor_id = $1`, [
        v.visitorId,
      ])) as Array<{ code_hash: string }>;
    expect(stored[0].code_hash).not.toContain(code);
  });

  it('limits new visitors per client address; a visitor with a token and other addresses still connect', async () => {
    const from = '203.0.113.50';
    const admitted: Visitor[] = [];
    for (let i = 0; i < 3; i++) admitted.push(await visit({}, from));
    const refused = await visit({}, from).catch((e: Error) => e);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(
      /^new visitor refused: at most 3 new visitors per minute from one address, try again in \d+ s$/,
    );
    const again = await visit({ visitorToken: admitted[0].token! }, from);
    expect(again.visitorId).toBe(admitted[0].visitorId);
    await expect(visit({}, '203.0.113.51')).resolves.toMatchObject({
      visitorId: expect.any(String),
    });
  });
});
