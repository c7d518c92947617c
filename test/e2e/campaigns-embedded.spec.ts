import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DataSource } from 'typeorm';
import { bootstrap, type RunningHub } from '../../src/bootstrap';
import { eventually, hubCall } from '../support/test-app';

/**
 * The embedded default (PGlite, whose one session serves a transaction's connection alone, and
 * the in-process queue) runs a campaign whose batches have several parts, and sends it.
 */
describe('a campaign on the embedded default', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-embedded-campaign-'));
  let hub: RunningHub | undefined;
  afterAll(async () => {
    await hub?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('fans out batches of several parts and delivers every message once', async () => {
    hub = await bootstrap({
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      START_SMTP_RECEIVER: 'false',
      ADMIN_EMAIL: 'owner@example.com',
      ADMIN_PASSWORD: 'owner-password',
    });
    expect(hub.config.embeddedDatabase && hub.config.inProcessQueue).toBe(true);
    const booted = hub;
    const token = (
      await hubCall(booted, 'POST', '/api/v1/auth/login', {
        email: 'owner@example.com',
        password: 'owner-password',
      })
    ).body.accessToken as string;
    const db = hub.app.get(DataSource);
    await db.query(
      `INSERT INTO customers (display_name, tags) SELECT 'E ' || g, '{embedded}' FROM generate_series(1, 130) g`,
    );
    await db.query(
      `INSERT INTO customer_identities (customer_id, kind, channel, address)
       SELECT id, 'email', 'email', 'emb-' || id || '@example.com' FROM customers WHERE tags @> '{embedded}'`,
    );
    await db.query(
      `INSERT INTO consents (customer_id, channel, purpose, status, source)
       SELECT id, 'email', 'marketing', 'granted', 'seed' FROM customers WHERE tags @> '{embedded}'`,
    );
    const created = await hubCall(
      hub,
      'POST',
      '/api/v1/campaigns',
      {
        name: 'Embedded',
        segment: { tags: ['embedded'] },
        topic: 'promo',
        purpose: 'marketing',
        urgency: 'normal',
        template: 'welcome',
        data: { offer: { percent: 5, code: 'E', until: '2030-01-01T00:00:00Z' } },
        batchSize: 100,
      },
      token,
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(
      (await hubCall(booted, 'POST', `/api/v1/campaigns/${id}/launch`, undefined, token)).status,
    ).toBe(202);
    await eventually(
      async () =>
        (await hubCall(booted, 'GET', `/api/v1/campaigns/${id}`, undefined, token)).body.status ===
        'completed',
      'the campaign to complete',
      30_000,
    );
    const stats = await eventually(
      async () => {
        const s = (await hubCall(booted, 'GET', `/api/v1/campaigns/${id}/stats`, undefined, token))
          .body;
        return s.delivered === 130 ? s : null;
      },
      'every message delivered',
      30_000,
    );
    expect(stats.recipients).toBe(130);
    const outbox = (await db.query(
      `SELECT count(*)::int AS n, count(DISTINCT to_address)::int AS d FROM sandbox_outbox WHERE to_address LIKE 'emb-%'`,
    )) as Array<{ n: number; d: number }>;
    expect(outbox[0]).toEqual({ n: 130, d: 130 });
  });
});
