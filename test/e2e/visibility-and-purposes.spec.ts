import { io, type Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
const sockets: Socket[] = [];
const run = Date.now().toString(36);

interface Inbound {
  id: string;
  conversation: { id: string; customerId: string };
}

async function emailIn(from: string, text: string): Promise<Inbound> {
  const r = await app.api('POST', '/api/v1/sandbox/inbound', { channel: 'email', from, text });
  expect(r.status).toBe(201);
  return r.body as Inbound;
}

function connect(token: string): Socket {
  const s = io(`${app.url}/agents`, {
    auth: { token },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  sockets.push(s);
  return s;
}
const connected = (s: Socket) =>
  new Promise<void>((resolve, reject) =>
    s.connected ? resolve() : (s.once('connect', () => resolve()), s.once('connect_error', reject)),
  );

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await app?.close();
});

describe('Team visibility on every way to a conversation', () => {
  let agentA: { id: string; token: string };
  let supervisor: { id: string; token: string };
  let marketer: { id: string; token: string };
  let inA: Inbound;
  let inB: Inbound;
  let attachmentA: string;
  let attachmentB: string;
  let teamAId: string;

  beforeAll(async () => {
    agentA = await app.userToken('agent');
    supervisor = await app.userToken('supervisor');
    marketer = await app.userToken('marketer');
    const teamA = await app.api('POST', '/api/v1/teams', { name: `vis-a-${run}` });
    const teamB = await app.api('POST', '/api/v1/teams', { name: `vis-b-${run}` });
    teamAId = teamA.body.id;
    expect(
      (await app.api('POST', `/api/v1/teams/${teamA.body.id}/members`, { userId: agentA.id }))
        .status,
    ).toBe(200);
    inA = await emailIn(`vis-a-${run}@example.com`, `alpha question ${run}`);
    inB = await emailIn(`vis-b-${run}@example.com`, `bravo secret ${run}`);
    for (const [inbound, team] of [
      [inA, teamA],
      [inB, teamB],
    ] as const)
      expect(
        (
          await app.api('POST', `/api/v1/conversations/${inbound.conversation.id}/assign`, {
            teamId: team.body.id,
          })
        ).status,
      ).toBe(200);
    const db = app.hub.app.get(DataSource);
    const attach = async (messageId: string) =>
      (
        (await db.query(
          `INSERT INTO attachments (message_id, filename, content_type, size, content)
           VALUES ($1, 'a.txt', 'text/plain', 2, '\\x6869') RETURNING id`,
          [messageId],
        )) as Array<{ id: string }>
      )[0].id;
    attachmentA = await attach(inA.id);
    attachmentB = await attach(inB.id);
  });

  it("refuses an agent another team's message by id, and lets its own team's through", async () => {
    const other = await app.api('GET', `/api/v1/messages/${inB.id}`, undefined, agentA.token);
    expect(other.status).toBe(403);
    expect(other.body.message).toMatch(/belongs to a team you are not in/);
    expect(
      (await app.api('GET', `/api/v1/messages/${inA.id}`, undefined, agentA.token)).status,
    ).toBe(200);
    expect(
      (await app.api('GET', `/api/v1/messages/${inB.id}`, undefined, supervisor.token)).status,
    ).toBe(200);
  });

  it("leaves another team's messages out of an agent's timeline", async () => {
    const path = (c: Inbound) => `/api/v1/customers/${c.conversation.customerId}/timeline`;
    const other = await app.api('GET', path(inB), undefined, agentA.token);
    expect(other.status).toBe(200);
    expect(other.body.items).toEqual([]);
    const own = await app.api('GET', path(inA), undefined, agentA.token);
    expect(own.body.items.map((m: { id: string }) => m.id)).toEqual([inA.id]);
    const all = await app.api('GET', path(inB), undefined, supervisor.token);
    expect(all.body.items.map((m: { id: string }) => m.id)).toEqual([inB.id]);
  });

  it("refuses an agent another team's attachment", async () => {
    const get = (id: string, token: string) =>
      fetch(`${app.url}/api/v1/attachments/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await get(attachmentB, agentA.token)).status).toBe(403);
    const own = await get(attachmentA, agentA.token);
    expect(own.status).toBe(200);
    expect(await own.text()).toBe('hi');
  });

  it('keeps exports to supervisors and admins', async () => {
    const path = `/api/v1/customers/${inB.conversation.customerId}/export`;
    expect((await app.api('GET', path, undefined, agentA.token)).status).toBe(403);
    expect((await app.api('GET', path, undefined, marketer.token)).status).toBe(403);
    expect((await app.api('GET', path, undefined, supervisor.token)).status).toBe(200);
  });

  it("gives an agent no search hit in another team's conversation", async () => {
    const q = async (term: string, token: string) =>
      (
        await app.api(
          'GET',
          `/api/v1/conversations?q=${encodeURIComponent(`${term} ${run}`)}`,
          undefined,
          token,
        )
      ).body.items.map((c: { id: string }) => c.id);
    expect(await q('bravo secret', agentA.token)).toEqual([]);
    expect(await q('bravo secret', supervisor.token)).toEqual([inB.conversation.id]);
    expect(await q('alpha question', agentA.token)).toEqual([inA.conversation.id]);
  });

  it("sends an agent no socket event of another team's conversation", async () => {
    const agent = connect(agentA.token);
    const sup = connect(supervisor.token);
    await Promise.all([connected(agent), connected(sup)]);
    const agentSaw: string[] = [];
    const supSaw: string[] = [];
    agent.on('message.created', (e: { message: { conversationId: string } }) =>
      agentSaw.push(e.message.conversationId),
    );
    sup.on('message.created', (e: { message: { conversationId: string } }) =>
      supSaw.push(e.message.conversationId),
    );
    await emailIn(`vis-b-${run}@example.com`, 'bravo again');
    await emailIn(`vis-a-${run}@example.com`, 'alpha again');
    await eventually(
      async () =>
        supSaw.includes(inB.conversation.id) &&
        supSaw.includes(inA.conversation.id) &&
        agentSaw.includes(inA.conversation.id),
      'both events at the supervisor and team A at the agent',
    );
    expect(agentSaw).not.toContain(inB.conversation.id);
  });

  it("tells an agent outside the team who mentioned them where, without the note's text", async () => {
    const insider = await app.userToken('agent', `Insider${run} Y`);
    const outsider = await app.userToken('agent', `Outsider${run} Z`);
    expect(
      (await app.api('POST', `/api/v1/teams/${teamAId}/members`, { userId: insider.id })).status,
    ).toBe(200);
    const [inSock, outSock] = [connect(insider.token), connect(outsider.token)];
    await Promise.all([connected(inSock), connected(outSock)]);
    type Mention = { conversationId: string; by: { name: string }; text?: string };
    const heard = (s: Socket) => new Promise<Mention>((resolve) => s.once('mention', resolve));
    const [inGot, outGot] = [heard(inSock), heard(outSock)];
    const text = `@insider${run} @outsider${run} the refund code is 7731 ${run}`;
    const note = await app.api('POST', `/api/v1/conversations/${inA.conversation.id}/notes`, {
      text,
    });
    expect(note.status).toBe(201);
    expect(await inGot).toMatchObject({ conversationId: inA.conversation.id, text });
    const out = await outGot;
    expect(out).toMatchObject({
      conversationId: inA.conversation.id,
      by: { name: expect.any(String) },
    });
    expect(out).not.toHaveProperty('text');
    expect(JSON.stringify(out)).not.toContain('7731');
  });

  it('shows a marketer no conversation text or note, by any route or socket', async () => {
    const note = await app.api(
      'POST',
      `/api/v1/conversations/${inA.conversation.id}/notes`,
      { text: `internal note ${run}` },
      supervisor.token,
    );
    expect(note.status).toBe(201);
    const noteId = (note.body as { id: string }).id;
    const customer = inA.conversation.customerId;
    for (const path of [
      `/api/v1/messages/${noteId}`,
      `/api/v1/messages/${inA.id}`,
      `/api/v1/customers/${customer}/timeline`,
      `/api/v1/customers/${customer}/export`,
      `/api/v1/conversations/${inA.conversation.id}`,
      `/api/v1/conversations?q=internal`,
      `/api/v1/attachments/${attachmentA}`,
    ]) {
      const r = await app.api('GET', path, undefined, marketer.token);
      expect([path, r.status]).toEqual([path, 403]);
      expect(JSON.stringify(r.body)).not.toContain('internal note');
    }
    // The marketer may read the customer's profile, which carries no conversation text.
    const profile = await app.api(
      'GET',
      `/api/v1/customers/${customer}`,
      undefined,
      marketer.token,
    );
    expect(profile.status).toBe(200);
    expect(JSON.stringify(profile.body)).not.toMatch(/internal note|alpha/);
    const s = connect(marketer.token);
    const refused = await new Promise<{ message: string }>((resolve) => s.once('error', resolve));
    expect(refused.message).toBe('marketers have no access to conversations');
  });
});

describe('Consent and identities are written by admins and supervisors', () => {
  it('refuses agents and marketers a consent entry or an identity change', async () => {
    const agent = await app.userToken('agent');
    const marketer = await app.userToken('marketer');
    const supervisor = await app.userToken('supervisor');
    const c = await app.api('POST', '/api/v1/customers', {
      displayName: 'Consent Owner',
      identities: [{ channel: 'email', address: `owner-${run}@example.com` }],
    });
    const consent = { channel: 'email', purpose: 'marketing', status: 'granted', source: 'form' };
    const identities = [{ channel: 'email', address: `taken-over-${run}@example.com` }];
    for (const who of [agent, marketer]) {
      const r = await app.api(
        'POST',
        `/api/v1/customers/${c.body.id}/consents`,
        consent,
        who.token,
      );
      expect(r.status).toBe(403);
      const p = await app.api('PATCH', `/api/v1/customers/${c.body.id}`, { identities }, who.token);
      expect(p.status).toBe(403);
      expect(p.body.message).toBe(
        'identities: only an admin or a supervisor changes who a customer is',
      );
      const created = await app.api(
        'POST',
        '/api/v1/customers',
        { displayName: 'X', identities },
        who.token,
      );
      expect(created.status).toBe(403);
    }
    // Other fields stay theirs to change.
    const renamed = await app.api(
      'PATCH',
      `/api/v1/customers/${c.body.id}`,
      { displayName: 'Renamed by agent' },
      agent.token,
    );
    expect(renamed.status).toBe(200);
    expect(
      (await app.api('POST', `/api/v1/customers/${c.body.id}/consents`, consent, supervisor.token))
        .status,
    ).toBe(201);
    const moved = await app.api(
      'PATCH',
      `/api/v1/customers/${c.body.id}`,
      { identities },
      supervisor.token,
    );
    expect(moved.status).toBe(200);
  });
});

describe("A send's purpose is the template's", () => {
  let customerId: string;
  let marketer: string;

  beforeAll(async () => {
    marketer = (await app.userToken('marketer')).token;
    const c = await app.api('POST', '/api/v1/customers', {
      displayName: 'Purpose Test',
      identities: [{ channel: 'email', address: `purpose-${run}@example.com` }],
    });
    customerId = c.body.id;
    await app.api('POST', `/api/v1/customers/${customerId}/consents`, {
      channel: 'email',
      purpose: 'marketing',
      status: 'granted',
      source: 'form',
    });
  });

  const intent = (template: string, purpose: string) => ({
    customerId,
    topic: 'orders',
    urgency: 'normal',
    purpose,
    template,
    data: {
      order: {
        id: 'A1',
        total: 10,
        currency: 'CNY',
        carrier: 'DHL',
        shippedAt: '2025-03-10T04:00:00Z',
        trackingUrl: 'https://t.example/1',
      },
      offer: { percent: 10, code: 'HELLO', until: '2030-01-01T00:00:00Z' },
      unsubscribeUrl: 'https://hub.example/u/x',
    },
  });

  it('refuses a purpose the template does not state, naming both', async () => {
    for (const path of ['/api/v1/messages', '/api/v1/routing/preview']) {
      const r = await app.api('POST', path, intent('order-shipped', 'marketing'));
      expect([path, r.status]).toEqual([path, 422]);
      expect(r.body.message).toBe(
        'purpose: template order-shipped may be sent for transactional, service, not marketing',
      );
    }
    const ok = await app.api('POST', '/api/v1/routing/preview', intent('order-shipped', 'service'));
    expect([ok.status, ok.body.message]).toEqual([200, undefined]);
  });

  it('lets a marketer send only for marketing', async () => {
    const r = await app.api('POST', '/api/v1/messages', intent('welcome', 'service'), marketer);
    expect(r.status).toBe(403);
    expect(r.body.message).toBe('purpose: a marketer sends only for marketing, not service');
    const ok = await app.api(
      'POST',
      '/api/v1/routing/preview',
      intent('welcome', 'marketing'),
      marketer,
    );
    expect([ok.status, ok.body.message]).toEqual([200, undefined]);
  });

  it("refuses a campaign whose template does not allow the campaign's purpose", async () => {
    const campaign = (template: string, purpose: string) => ({
      name: `purpose ${template} ${purpose} ${run}`,
      segment: { tags: [`none-${run}`] },
      topic: 'news',
      purpose,
      urgency: 'normal',
      template,
    });
    const wrong = await app.api(
      'POST',
      '/api/v1/campaigns',
      campaign('order-shipped', 'marketing'),
    );
    expect(wrong.status).toBe(422);
    expect(wrong.body.message).toMatch(/^purpose: template order-shipped may be sent for/);
    const byMarketer = await app.api(
      'POST',
      '/api/v1/campaigns',
      campaign('welcome', 'service'),
      marketer,
    );
    expect(byMarketer.status).toBe(403);
    // Written while the template allowed it, launched after it no longer does.
    const key = `purpose-launch-${run}`;
    const version = (purposes: string[]) =>
      app.api('POST', '/api/v1/templates', {
        key,
        channel: 'email',
        locale: 'en',
        subject: 'Hi',
        body: 'Hello',
        purposes,
      });
    expect((await version(['service', 'marketing'])).status).toBe(201);
    const draft = await app.api('POST', '/api/v1/campaigns', campaign(key, 'service'));
    expect(draft.status).toBe(201);
    expect((await version(['marketing'])).status).toBe(201);
    const launch = await app.api('POST', `/api/v1/campaigns/${draft.body.id}/launch`);
    expect(launch.status).toBe(422);
    expect(launch.body.message).toBe(
      `purpose: template ${key} may be sent for marketing, not service`,
    );
  });

  it('gives an API template marketing unless it says otherwise; a marketer writes only marketing', async () => {
    const key = `purpose-new-${run}`;
    const body = { key, channel: 'email', locale: 'en', subject: 'Hi', body: 'Hello' };
    const created = await app.api('POST', '/api/v1/templates', body, marketer);
    expect(created.status).toBe(201);
    expect(created.body.purposes).toEqual(['marketing']);
    const listed = await app.api('GET', `/api/v1/templates/${key}`);
    expect(listed.body.purposes).toEqual(['marketing']);
    const shipped = await app.api('GET', '/api/v1/templates/order-shipped');
    expect(shipped.body.purposes).toEqual(['transactional', 'service']);
    const widen = await app.api(
      'POST',
      '/api/v1/templates',
      { ...body, purposes: ['transactional'] },
      marketer,
    );
    expect(widen.status).toBe(403);
    expect(widen.body.message).toBe(
      'purposes: a marketer writes templates for marketing only, not transactional',
    );
    const takeOver = await app.api(
      'POST',
      '/api/v1/templates',
      { ...body, key: 'order-shipped' },
      marketer,
    );
    expect(takeOver.status).toBe(403);
    expect(takeOver.body.message).toBe(
      'key: template order-shipped is also sent for transactional, service; only an admin or a supervisor changes it',
    );
  });
});
