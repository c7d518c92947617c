import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DataSource } from 'typeorm';
import { bootstrap, type RunningHub } from '../../src/bootstrap';
import { eventually, hubCall } from '../support/test-app';

/** The embedded default: PGlite over the wire protocol + the in-process queue, data kept under DATA_DIR. */
describe('embedded default (no DATABASE_URL, no REDIS_URL)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-embedded-'));
  const env = {
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    START_SMTP_RECEIVER: 'false',
    ADMIN_EMAIL: 'owner@example.com',
    ADMIN_PASSWORD: 'owner-password',
  };
  let hub: RunningHub | undefined;
  afterAll(async () => {
    await hub?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the whole product, keeps its data and re-drives queued work after a restart', async () => {
    hub = await bootstrap(env);
    expect(hub.config.embeddedDatabase && hub.config.inProcessQueue).toBe(true);
    const health = await hubCall(hub, 'GET', '/health');
    expect(health.body.details.database.mode).toBe('embedded');
    expect(health.body.details.queue.driver).toBe('in-process');
    const token = (
      await hubCall(hub, 'POST', '/api/v1/auth/login', {
        email: 'owner@example.com',
        password: 'owner-password',
      })
    ).body.accessToken as string;
    const inbound = await hubCall(
      hub,
      'POST',
      '/api/v1/sandbox/inbound',
      { channel: 'wechat', from: 'wxid_embedded', text: '在吗？' },
      token,
    );
    expect(inbound.status).toBe(201);

    // A send staged in the outbox whose process dies before the queue runs it.
    const ds = hub.app.get(DataSource);
    const msg = (await ds.query(
      `INSERT INTO messages (customer_id, conversation_id, direction, kind, channel, status, text, address)
       VALUES ($1, $2, 'outbound', 'message', 'wechat', 'queued', '在的，请讲', 'wxid_embedded') RETURNING id`,
      [inbound.body.customerId, inbound.body.conversationId],
    )) as Array<{ id: string }>;
    await ds.query(
      `INSERT INTO outbox_jobs (queue, name, payload, dedupe_key, run_at) VALUES ('delivery', 'send', $1, $2, now() + interval '1 hour')`,
      [JSON.stringify({ messageId: msg[0].id }), `embedded:${msg[0].id}`],
    );
    await ds.query(`UPDATE outbox_jobs SET run_at = now() WHERE dedupe_key = $1`, [
      `embedded:${msg[0].id}`,
    ]);
    await hub.close();
    hub = undefined;

    hub = await bootstrap(env);
    const again = (
      await hubCall(hub, 'POST', '/api/v1/auth/login', {
        email: 'owner@example.com',
        password: 'owner-password',
      })
    ).body.accessToken as string;
    const timeline = await hubCall(
      hub,
      'GET',
      `/api/v1/customers/${inbound.body.customerId}/timeline`,
      undefined,
      again,
    );
    expect(timeline.body.items.map((m: { text: string }) => m.text)).toContain('在吗？');
    const sent = await eventually(
      async () => {
        const r = await hubCall(
          hub!,
          'GET',
          '/api/v1/sandbox/outbox?channel=wechat',
          undefined,
          again,
        );
        return (r.body.items as Array<{ messageId: string; text: string }>).find(
          (i) => i.messageId === msg[0].id,
        );
      },
      'the re-driven send',
      20_000,
    );
    expect(sent.text).toBe('在的，请讲');
  });
});
