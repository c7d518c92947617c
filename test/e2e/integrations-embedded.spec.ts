import { mkdtempSync, rmSync } from 'fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'http';
import type { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { Webhook } from 'standardwebhooks';
import { bootstrap, type RunningHub } from '../../src/bootstrap';
import { eventually, hubCall } from '../support/test-app';

/**
 * Issue 21 on the embedded default (PGlite, one session, and the in-process queue): a rule fires
 * on a sandbox message, a macro runs, a webhook is delivered signed, a read-only key cannot write.
 */
describe('integrations on the embedded default', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-embedded-integrations-'));
  let hub: RunningHub | undefined;
  let receiver: Server;
  let base = '';
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await hub?.close();
    await new Promise((r) => receiver.close(r));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs a rule, a macro, a signed webhook and a scoped key', async () => {
    hub = await bootstrap({
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      START_SMTP_RECEIVER: 'false',
      ADMIN_EMAIL: 'owner@example.com',
      ADMIN_PASSWORD: 'owner-password',
      WEBHOOK_ALLOW_PRIVATE: 'true',
    });
    const h = hub;
    expect(h.config.embeddedDatabase && h.config.inProcessQueue).toBe(true);
    const token = (
      await hubCall(h, 'POST', '/api/v1/auth/login', {
        email: 'owner@example.com',
        password: 'owner-password',
      })
    ).body.accessToken as string;
    const call = (method: string, path: string, body?: unknown, as = token) =>
      hubCall(h, method, path, body, as);

    const hook = await call('POST', '/api/v1/webhooks', {
      url: `${base}/in`,
      events: ['conversation.created', 'message.received'],
    });
    expect(hook.status).toBe(201);
    const team = await call('POST', '/api/v1/teams', { name: '售后' });
    const rule = await call('POST', '/api/v1/automation-rules', {
      name: '退款分派',
      event: 'message.received',
      conditions: [{ type: 'textContains', values: ['退款'] }],
      actions: [
        { type: 'assign', teamId: team.body.id },
        { type: 'addLabels', labels: ['退款'] },
      ],
    });
    expect(rule.status).toBe(201);

    const inbound = await call('POST', '/api/v1/sandbox/inbound', {
      channel: 'sms',
      from: '+8613800138777',
      text: '我要退款',
    });
    expect(inbound.status).toBe(201);
    const conversationId = inbound.body.conversation.id as string;
    await eventually(
      async () => {
        const d = (await call('GET', `/api/v1/conversations/${conversationId}`)).body;
        return d.teamId === team.body.id && d.tags.includes('退款');
      },
      'the rule to assign and label',
      20_000,
    );

    const macro = await call('POST', '/api/v1/macros', {
      name: '待处理',
      shared: true,
      actions: [
        { type: 'note', text: '宏已运行' },
        { type: 'setStatus', status: 'pending' },
      ],
    });
    expect(macro.status).toBe(201);
    const run = await call(
      'POST',
      `/api/v1/conversations/${conversationId}/macros/${macro.body.id}`,
    );
    expect(run.status).toBe(200);
    expect(run.body.conversation).toMatchObject({ status: 'pending' });

    await eventually(async () => received.length >= 2, 'both webhooks delivered', 20_000);
    const types = received.map(
      (r) =>
        (
          new Webhook(hook.body.secret as string).verify(r.body, {
            'webhook-id': String(r.headers['webhook-id']),
            'webhook-timestamp': String(r.headers['webhook-timestamp']),
            'webhook-signature': String(r.headers['webhook-signature']),
          }) as { type: string }
        ).type,
    );
    expect(types.sort()).toEqual(['conversation.created', 'message.received']);

    const key = await call('POST', '/api/v1/api-keys', {
      name: 'reader',
      scopes: ['conversations:read'],
    });
    const read = await call(
      'GET',
      `/api/v1/conversations/${conversationId}`,
      undefined,
      key.body.key,
    );
    expect(read.status).toBe(200);
    const write = await call(
      'POST',
      `/api/v1/conversations/${conversationId}/notes`,
      { text: 'x' },
      key.body.key,
    );
    expect(write.status).toBe(403);
  });
});
