import { DataSource } from 'typeorm';
import { IngestService } from '../../src/ingest/ingest.service';
import { usePostgres } from '../support/services';
import { startTestApp, type TestApp } from '../support/test-app';

/** What writing messages and customers costs (migrations CampaignWriteCost, CustomerIdOrder; session settings). */
describe('write cost', () => {
  let app: TestApp;
  let db: DataSource;
  let n = 0;

  beforeAll(async () => {
    app = await startTestApp();
    db = app.hub.app.get(DataSource);
  });
  afterAll(() => app.close());

  const one = async <T>(sql: string, args: unknown[] = []): Promise<T> =>
    ((await db.query(sql, args)) as T[])[0];

  it('runs statements without JIT', async () => {
    if (usePostgres()) {
      const { jit } = await one<{ jit: string }>(`SHOW jit`);
      expect(jit).toBe('off');
    } else {
      // PGlite is built without JIT: nothing to turn off.
      const { available } = await one<{ available: boolean }>(
        `SELECT pg_jit_available() AS available`,
      );
      expect(available).toBe(false);
    }
  });

  it('keeps the searchable copy of text only for messages search can find', async () => {
    const r = await app.hub.app.get(IngestService).ingest({
      channel: 'sms',
      from: '+8613900001111',
      providerMessageId: `wc-${++n}`,
      text: 'My Parcel Is LATE',
    });
    const inbound = await one<{ search_text: string | null }>(
      `SELECT search_text FROM messages WHERE id = $1`,
      [r.message.id],
    );
    expect(inbound.search_text).toBe('my parcel is late');

    const customer = await app.api('POST', '/api/v1/customers', {
      displayName: 'No Conversation',
      identities: [{ channel: 'sms', address: '+8613900003333' }],
    });
    expect(customer.status).toBe(201);
    const sent = await app.api('POST', '/api/v1/messages', {
      customerId: customer.body.id,
      channel: 'sms',
      topic: 'orders',
      urgency: 'high',
      purpose: 'transactional',
      template: 'order-shipped',
      data: { order: { id: 'A-7', carrier: 'SF', trackingUrl: 'https://t.example/A' } },
      idempotencyKey: `wc-send-${n}`,
    });
    expect(sent.status).toBe(202);
    const sentId = sent.body.messageId as string;
    const outbound = await one<{ search_text: string | null; conversation_id: string | null }>(
      `SELECT search_text, conversation_id FROM messages WHERE id = $1`,
      [sentId],
    );
    expect(outbound.conversation_id).toBeNull();
    expect(outbound.search_text).toBeNull();

    // The copy follows the row: a message moved into a conversation becomes searchable.
    await db.query(`UPDATE messages SET conversation_id = $1 WHERE id = $2`, [
      r.conversation!.id,
      sentId,
    ]);
    const moved = await one<{ search_text: string | null; text: string }>(
      `SELECT search_text, text FROM messages WHERE id = $1`,
      [sentId],
    );
    expect(moved.text).toContain('A-7');
    expect(moved.search_text).toBe(moved.text.toLowerCase());
  });

  it('still skips a second message with the same provider id, and takes many without one', async () => {
    const ingest = app.hub.app.get(IngestService);
    const providerMessageId = `wc-dup-${++n}`;
    const first = await ingest.ingest({
      channel: 'sms',
      from: '+8613900002222',
      providerMessageId,
      text: 'first',
    });
    const again = await ingest.ingest({
      channel: 'sms',
      from: '+8613900002222',
      providerMessageId,
      text: 'first',
    });
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.message.id).toBe(first.message.id);
    // messages is partitioned: message_keys' trigger skips the duplicate (ON CONFLICT DO NOTHING).
    expect(
      await db.query(
        `INSERT INTO messages (customer_id, direction, kind, channel, status, provider_message_id)
         VALUES ($1, 'inbound', 'message', 'sms', 'delivered', $2) RETURNING id`,
        [first.customerId, providerMessageId],
      ),
    ).toEqual([]);
    const { same } = await one<{ same: number }>(
      `SELECT count(*)::int AS same FROM messages WHERE channel = 'sms' AND provider_message_id = $1`,
      [providerMessageId],
    );
    expect(same).toBe(1);
    for (let i = 0; i < 2; i++)
      await db.query(
        `INSERT INTO messages (customer_id, direction, kind, channel, status) VALUES ($1, 'outbound', 'message', 'sms', 'queued')`,
        [first.customerId],
      );
    const { count } = await one<{ count: number }>(
      `SELECT count(*)::int AS count FROM messages WHERE customer_id = $1 AND provider_message_id IS NULL`,
      [first.customerId],
    );
    expect(count).toBe(2);
  });

  it('gives new customers time-ordered ids (UUIDv7), from the API and from inbound traffic', async () => {
    const before = Date.now();
    const made = await app.api('POST', '/api/v1/customers', {
      displayName: 'Ordered',
      identities: [{ channel: 'email', address: `ordered-${++n}@example.com` }],
    });
    expect(made.status).toBe(201);
    const inbound = await app.hub.app.get(IngestService).ingest({
      channel: 'sms',
      from: '+8613900004444',
      providerMessageId: `wc-order-${n}`,
      text: 'hello',
    });
    const after = Date.now();
    for (const id of [made.body.id as string, inbound.customerId]) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
      expect(ms).toBeGreaterThanOrEqual(before - 1000);
      expect(ms).toBeLessThanOrEqual(after + 1000);
    }
  });
});
