import { io, type Socket } from 'socket.io-client';
import { PresenceService } from '../../src/realtime/presence.service';
import { eventually, startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app';

let app: TestApp;
const sockets: Socket[] = [];

async function onlineAgent(name: string, email: string, capacity: number) {
  const u = await app.api('POST', '/api/v1/users', {
    email,
    name,
    password: USER_PASSWORD,
    role: 'agent',
    capacity,
  });
  expect(u.status).toBe(201);
  const token = await app.login(email, USER_PASSWORD);
  const s = io(`${app.url}/agents`, { auth: { token }, transports: ['websocket'], forceNew: true });
  sockets.push(s);
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
  const presence = app.hub.app.get(PresenceService);
  await eventually(
    async () =>
      (await presence.list()).some((p) => p.agentId === u.body.id && p.status === 'online'),
    `${name} online`,
  );
  return { id: u.body.id as string, token };
}

const inbound = async (from: string, text: string) => {
  const r = await app.api('POST', '/api/v1/sandbox/inbound', { channel: 'sms', from, text });
  expect(r.status).toBeLessThan(300);
  return r.body.conversation.id as string;
};

type Agent = {
  id: string;
  name: string;
  status: string;
  open: number;
  capacity: number;
  teams: Array<{ name: string }>;
  conversations: Array<{ id: string; customerName: string | null }>;
};

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await app?.close();
});

describe('The team view and the service reports', () => {
  let supervisor: string;
  let agentToken: string;
  let wang: { id: string; token: string };
  let first: string;
  let waiting: string;
  let teamId: string;

  beforeAll(async () => {
    supervisor = (await app.userToken('supervisor', '督导 Sue')).token;
    expect(
      (
        await app.api('POST', '/api/v1/sla-policies', {
          name: 'SMS 10 minutes',
          channel: 'sms',
          firstResponseSeconds: 600,
        })
      ).status,
    ).toBe(201);
    wang = await onlineAgent('王芳', 'wangfang@test.local', 1);
    agentToken = wang.token;
    const team = await app.api('POST', '/api/v1/teams', { name: '售后组' });
    expect(team.status).toBe(201);
    teamId = team.body.id as string;
    expect(
      (await app.api('POST', `/api/v1/teams/${teamId}/members`, { userId: wang.id })).status,
    ).toBeLessThan(300);
    first = await inbound('+8613700137001', '我的快递到哪里了？');
    waiting = await inbound('+8613700137002', '发票什么时候开？');
    await eventually(
      async () =>
        (await app.api('GET', `/api/v1/conversations/${first}`)).body.assigneeId === wang.id,
      'the first conversation assigned to 王芳',
    );
  });

  it('shows who is online with load against capacity, the queue and SLA at risk', async () => {
    const r = await app.api('GET', '/api/v1/team-view', undefined, supervisor);
    expect(r.status).toBe(200);
    const agent = (r.body.agents as Agent[]).find((a) => a.id === wang.id)!;
    expect(agent).toMatchObject({ name: '王芳', status: 'online', open: 1, capacity: 1 });
    expect(agent.teams.map((t) => t.name)).toEqual(['售后组']);
    expect(agent.conversations.map((c) => c.id)).toEqual([first]);
    // 王芳 is full: the second waits for capacity.
    const queued = (r.body.queue as Array<{ id: string; queuedAt: string | null }>).find(
      (c) => c.id === waiting,
    );
    expect(queued?.queuedAt).toEqual(expect.any(String));
    const risk = r.body.slaAtRisk as Array<{ id: string; kind: string; state: string }>;
    expect(risk.find((c) => c.id === first)).toMatchObject({
      kind: 'first_response',
      state: 'due_soon',
    });
    // Due in 10 minutes: not at risk within 5.
    const soon5 = await app.api('GET', '/api/v1/team-view?soonMinutes=5', undefined, supervisor);
    expect((soon5.body.slaAtRisk as Array<{ id: string }>).some((c) => c.id === first)).toBe(false);
    expect(
      (await app.api('GET', '/api/v1/team-view?soonMinutes=0', undefined, supervisor)).status,
    ).toBe(400);
  });

  it('refuses the team view and the reports to agents and marketers', async () => {
    const marketer = (await app.userToken('marketer')).token;
    for (const path of [
      '/api/v1/team-view',
      '/api/v1/analytics/service.csv?by=agent',
      '/api/v1/analytics/csat/responses',
      '/api/v1/analytics/csat/responses.csv',
    ]) {
      expect([path, (await app.api('GET', path, undefined, agentToken)).status]).toEqual([
        path,
        403,
      ]);
      expect([path, (await app.api('GET', path, undefined, marketer)).status]).toEqual([path, 403]);
    }
  });

  it('reports per agent and per team by name, in the window asked, with CSAT comments and CSV', async () => {
    expect(
      (await app.api('POST', `/api/v1/conversations/${first}/assign`, { teamId })).status,
    ).toBeLessThan(300);
    expect(
      (await app.api('POST', `/api/v1/conversations/${first}/replies`, { text: '明天送到。' }))
        .status,
    ).toBeLessThan(300);
    expect(
      (await app.api('POST', `/api/v1/conversations/${first}/status`, { status: 'resolved' }))
        .status,
    ).toBeLessThan(300);
    await eventually(async () => {
      const out = await app.api('GET', '/api/v1/sandbox/outbox?channel=sms&to=%2B8613700137001');
      return out.body.items.some((i: { text: string }) => i.text.includes('1-5'));
    }, 'the CSAT request');
    await inbound('+8613700137001', '5 =cmd|"/C calc"!A0 送货很快');

    const byAgent = await app.api(
      'GET',
      '/api/v1/analytics/service?by=agent',
      undefined,
      supervisor,
    );
    expect(byAgent.status).toBe(200);
    const groups = byAgent.body.groups as Array<{ key: string; name: string | null; csat: number }>;
    expect(groups.find((g) => g.key === wang.id)).toMatchObject({ name: '王芳', csat: 5 });
    const byTeam = await app.api('GET', '/api/v1/analytics/service?by=team', undefined, supervisor);
    expect(
      (byTeam.body.groups as Array<{ key: string; name: string }>).find((g) => g.key === teamId)
        ?.name,
    ).toBe('售后组');

    // A window before anything happened holds nothing.
    const past = `from=${encodeURIComponent('2020-01-01T00:00:00Z')}&to=${encodeURIComponent('2020-02-01T00:00:00Z')}`;
    expect(
      (await app.api('GET', `/api/v1/analytics/service?by=agent&${past}`, undefined, supervisor))
        .body.groups,
    ).toEqual([]);
    const backwards = await app.api(
      'GET',
      `/api/v1/analytics/service?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z`,
      undefined,
      supervisor,
    );
    expect(backwards.status).toBe(400);
    expect(backwards.body.message).toMatch(/from/);

    const responses = await app.api(
      'GET',
      '/api/v1/analytics/csat/responses?pageSize=10',
      undefined,
      supervisor,
    );
    expect(responses.status).toBe(200);
    expect(responses.body.total).toBe(1);
    expect(responses.body.items[0]).toMatchObject({
      score: 5,
      comment: '=cmd|"/C calc"!A0 送货很快',
      agentName: '王芳',
      teamName: '售后组',
      conversationId: first,
    });
    const none = await app.api(
      'GET',
      `/api/v1/analytics/csat/responses?${past}`,
      undefined,
      supervisor,
    );
    expect(none.body).toMatchObject({ total: 0, items: [] });

    const csv = await fetch(`${app.url}/api/v1/analytics/csat/responses.csv`, {
      headers: { authorization: `Bearer ${supervisor}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="csat-responses-/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const [header, row] = text.split('\r\n');
    expect(header).toBe('created_at,score,comment,customer,agent,team,channel,conversation_id');
    // The comment cannot run as a formula: an apostrophe first, quotes doubled.
    expect(row).toContain(`,5,"'=cmd|""/C calc""!A0 送货很快",`);
    expect(row).toContain(',王芳,售后组,sms,');

    const serviceCsv = await fetch(`${app.url}/api/v1/analytics/service.csv?by=agent`, {
      headers: { authorization: `Bearer ${supervisor}` },
    });
    expect(serviceCsv.status).toBe(200);
    const lines = new TextDecoder()
      .decode(await serviceCsv.arrayBuffer())
      .replace(/^\uFEFF/, '')
      .split('\r\n');
    expect(lines[0]).toMatch(/^agent,id,conversations,/);
    expect(lines.some((l) => l.startsWith(`王芳,${wang.id},`))).toBe(true);
  });

  it('moves a conversation to another agent through the assign API, as the view shows', async () => {
    const li = await onlineAgent('李雷', 'lilei@test.local', 5);
    // The queue drained to 王芳 when the first was resolved, or waits still: either way move it.
    expect(
      (
        await app.api(
          'POST',
          `/api/v1/conversations/${waiting}/assign`,
          { agentId: li.id },
          supervisor,
        )
      ).status,
    ).toBeLessThan(300);
    const r = await app.api('GET', '/api/v1/team-view', undefined, supervisor);
    const li2 = (r.body.agents as Agent[]).find((a) => a.id === li.id)!;
    expect(li2.conversations.map((c) => c.id)).toEqual([waiting]);
    expect(li2.open).toBe(1);
    expect((r.body.queue as Array<{ id: string }>).some((c) => c.id === waiting)).toBe(false);
  });
});
