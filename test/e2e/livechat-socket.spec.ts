import { startTestApp, eventually, type TestApp } from '../support/test-app';
import { createHmac } from 'crypto';
import { io, type Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { OutboundService } from '../../src/delivery/outbound.service';
import { DomainEvents } from '../../src/events/domain-events';

const SECRET = 'livechat-socket-spec-identity-secret';

interface Session {
  visitorToken?: string;
  visitorId: string;
}

describe('Live chat on socket.io namespace /chat (LivechatGateway)', () => {
  let app: TestApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    app = await startTestApp({ CHAT_RATE_LIMIT: '5/10s', LIVECHAT_IDENTITY_SECRET: SECRET });
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(() => app.close());

  const open = (auth: Record<string, string> = {}) => {
    const socket = io(`${app.url}/chat`, {
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    return socket;
  };
  const once = <T>(socket: Socket, event: string) =>
    new Promise<T>((resolve) => socket.once(event, (p: T) => resolve(p)));
  const connect = async (auth: Record<string, string> = {}) => {
    const socket = open(auth);
    const [session, history] = await Promise.all([
      once<Session>(socket, 'session'),
      once<{ messages: Array<{ text: string }> }>(socket, 'history'),
    ]);
    return { socket, session, history };
  };
  const say = (socket: Socket, text: string) =>
    socket.emitWithAck('message', { text }) as Promise<{ id?: string; error?: string }>;
  const customerOf = async (visitorId: string) => {
    const r = await app.api(
      'GET',
      `/api/v1/customers?identity=livechat:${encodeURIComponent(visitorId)}`,
    );
    return r.status === 200 ? (r.body.id as string) : null;
  };

  it('issues a token on first connect; reconnecting with it is the same visitor and customer, with history', async () => {
    const first = await connect();
    expect(first.session.visitorToken).toEqual(expect.any(String));
    expect(first.history.messages).toEqual([]);
    const ack = await say(first.socket, 'Hello, is anyone there?');
    expect(ack.id).toEqual(expect.any(String));
    const customerId = await eventually(
      () => customerOf(first.session.visitorId),
      'the visitor customer',
    );
    first.socket.disconnect();

    const again = await connect({ visitorToken: first.session.visitorToken! });
    expect(again.session.visitorId).toBe(first.session.visitorId);
    expect(again.session.visitorToken).toBeUndefined();
    expect(again.history.messages.map((m) => m.text)).toEqual(['Hello, is anyone there?']);
    await say(again.socket, 'Second message');
    const t = await app.api('GET', `/api/v1/customers/${customerId}/timeline`);
    expect((t.body.items as Array<{ text: string; channel: string }>).map((m) => m.text)).toEqual([
      'Second message',
      'Hello, is anyone there?',
    ]);
  });

  it('echoes a visitor message to every tab and delivers an agent reply to both tabs', async () => {
    const a = await connect();
    const b = await connect({ visitorToken: a.session.visitorToken! });
    const echo = once<{ text: string; direction: string }>(b.socket, 'message');
    await say(a.socket, 'From tab A');
    expect(await echo).toMatchObject({ text: 'From tab A', direction: 'inbound' });
    const customerId = (await customerOf(a.session.visitorId))!;
    const atA = once<{ id: string; text: string; direction: string }>(a.socket, 'message');
    const atB = once<{ id: string; text: string; direction: string }>(b.socket, 'message');
    const conv = (await app.hub.app
      .get(DataSource)
      .query(`SELECT id FROM conversations WHERE customer_id = $1`, [customerId])) as Array<{
      id: string;
    }>;
    const { message } = await app.hub.app.get(OutboundService).send({
      customerId,
      conversationId: conv[0].id,
      channel: 'livechat',
      text: 'Hi, an agent here.',
      purpose: 'service',
    });
    for (const got of await Promise.all([atA, atB]))
      expect(got).toMatchObject({
        id: message.id,
        text: 'Hi, an agent here.',
        direction: 'outbound',
      });
    await eventually(async () => {
      const r = await app.api('GET', `/api/v1/customers/${customerId}/timeline`);
      return (
        (r.body.items as Array<{ id: string; status: string }>).find((m) => m.id === message.id)
          ?.status === 'delivered'
      );
    }, 'the reply marked delivered');
  });

  it('forwards visitor typing as a domain event', async () => {
    const a = await connect();
    await say(a.socket, 'typing test');
    const seen = new Promise<{ visitorId: string; typing: boolean }>((resolve) => {
      const off = app.hub.app.get(DomainEvents).on('visitor.typing', (e) => {
        off();
        resolve(e);
      });
    });
    a.socket.emit('typing', { typing: true });
    expect(await seen).toMatchObject({ visitorId: a.session.visitorId, typing: true });
  });

  it("shows an agent typing (the agent.typing domain event) in the visitor's tabs", async () => {
    const a = await connect();
    await say(a.socket, 'anyone typing?');
    const customerId = (await customerOf(a.session.visitorId))!;
    const conv = (await app.hub.app
      .get(DataSource)
      .query(`SELECT id FROM conversations WHERE customer_id = $1`, [customerId])) as Array<{
      id: string;
    }>;
    const typing = once<{ typing: boolean }>(a.socket, 'typing');
    app.hub.app
      .get(DomainEvents)
      .emit('agent.typing', { conversationId: conv[0].id, agentId: 'agent-1', typing: true });
    expect(await typing).toEqual({ typing: true });
  });

  it('refuses a forged token and an expired one at the handshake with a clear reason', async () => {
    const forged = open({
      visitorToken: 'eyJhbGciOiJIUzI1NiJ9.eyJ2aWQiOiJ2LWV2aWwiLCJ0eXAiOiJ2aXNpdG9yIn0.c2lnbmF0dXJl',
    });
    const err = await once<Error & { data?: { message: string } }>(forged, 'connect_error');
    expect(err.message).toMatch(/visitor token refused/);
    expect(forged.connected).toBe(false);
    const { TokenService } = await import('../../src/auth/token.service');
    const expired = app.hub.app
      .get(TokenService)
      .signTyped('visitor', { vid: 'v-old', exp: Math.floor(Date.now() / 1000) - 60 });
    const late = open({ visitorToken: expired });
    const err2 = await once<Error>(late, 'connect_error');
    expect(err2.message).toBe('visitor token refused: expired');
  });

  it('refuses messages over the rate limit and does not store them', async () => {
    const a = await connect();
    const acks = [];
    for (let i = 0; i < 5; i++) acks.push(await say(a.socket, `burst ${i}`));
    expect(acks.every((x) => x.id)).toBe(true);
    const errorEvent = once<{ message: string }>(a.socket, 'error');
    const over = await say(a.socket, 'burst 5');
    expect(over.error).toMatch(/^rate limit: at most 5 messages per 10 s, wait \d+ s$/);
    expect((await errorEvent).message).toBe(over.error);
    const customerId = (await customerOf(a.session.visitorId))!;
    const t = await app.api('GET', `/api/v1/customers/${customerId}/timeline`);
    expect(t.body.items).toHaveLength(5);
  });

  it('refuses an oversize message with the limit in the reason', async () => {
    const a = await connect();
    const ack = await say(a.socket, 'x'.repeat(5001));
    expect(ack.error).toBe('message: text is 5001 characters, the limit is 5000');
    expect(await customerOf(a.session.visitorId)).toBeNull();
  });

  it('links the chat to an existing customer by a signed email, and sends a reply by email while the visitor is offline', async () => {
    const existing = await app.api('POST', '/api/v1/customers', {
      displayName: 'Chen Jing',
      identities: [{ channel: 'email', address: 'chen.jing@example.cn' }],
    });
    const a = await connect();
    await say(a.socket, 'I ordered tea last week');
    const bad = (await a.socket.emitWithAck('identify', {
      name: 'Chen Jing',
      email: 'not-an-email',
    })) as { error?: string };
    expect(bad.error).toMatch(/^identify: email: /);
    const ok = (await a.socket.emitWithAck('identify', {
      name: 'Chen Jing',
      email: 'Chen.Jing@example.cn',
      identityHash: createHmac('sha256', SECRET).update('chen.jing@example.cn').digest('hex'),
    })) as { customerId: string; verified: boolean };
    expect(ok).toEqual({ customerId: existing.body.id, verified: true });
    expect(await customerOf(a.session.visitorId)).toBe(existing.body.id);
    a.socket.disconnect();

    const conv = (await app.hub.app
      .get(DataSource)
      .query(`SELECT id FROM conversations WHERE customer_id = $1 AND status <> 'resolved'`, [
        existing.body.id,
      ])) as Array<{ id: string }>;
    const { message } = await app.hub.app.get(OutboundService).send({
      customerId: existing.body.id,
      conversationId: conv[0]?.id ?? null,
      channel: 'livechat',
      text: 'Your tea ships tomorrow.',
      purpose: 'service',
    });
    const outbox = await eventually(async () => {
      const r = await app.api(
        'GET',
        '/api/v1/sandbox/outbox?channel=email&to=chen.jing@example.cn',
      );
      return (r.body.items ?? r.body).length ? (r.body.items ?? r.body) : null;
    }, 'the email fallback in the sandbox outbox');
    expect(JSON.stringify(outbox)).toContain('Your tea ships tomorrow.');
    const chat = await eventually(async () => {
      const r = await app.api('GET', `/api/v1/customers/${existing.body.id}/timeline`);
      const m = (r.body.items as Array<Record<string, any>>).find((i) => i.id === message.id);
      return m?.metadata?.fellBackTo ? m : null;
    }, 'the chat reply marked as fallen back');
    expect(chat.status).toBe('undelivered');
    expect(chat.metadata.fellBackTo).toBe('email');
  });

  it("takes a name alone (the widget sends a blank email as '') and names the visitor's customer", async () => {
    const a = await connect();
    const ack = (await a.socket.emitWithAck('identify', { name: 'Liu Yang', email: '' })) as {
      customerId?: string;
      error?: string;
    };
    expect(ack.error).toBeUndefined();
    expect(ack).toEqual({ customerId: expect.any(String), verified: false });
    const c = await app.api('GET', `/api/v1/customers/${ack.customerId}`);
    expect(c.body.displayName).toBe('Liu Yang');
    expect(await customerOf(a.session.visitorId)).toBe(ack.customerId);
  });

  it('serves the socket.io client script', async () => {
    const r = await fetch(`${app.url}/socket.io/socket.io.min.js`);
    expect(r.status).toBe(200);
  });
});
