import { DataSource } from 'typeorm';
import { JobQueueService } from '../../src/queue/job-queue.service';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

// SMS limited to 2 sends per second through the sms delivery queue's BullMQ limiter.
let app: TestApp;
let db: DataSource;

beforeAll(async () => {
  app = await startTestApp({ SEND_RATE_SMS: '2/s' });
  db = app.hub.app.get(DataSource);
});
afterAll(async () => {
  await app?.close();
});

async function smsCustomer(i: number): Promise<string> {
  const r = await app.api('POST', '/api/v1/customers', {
    displayName: `Rate ${i}`,
    identities: [{ channel: 'sms', address: `+86138777${String(10000 + i)}` }],
  });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

describe('Per-provider send rate', () => {
  it('lets six SMS leave no faster than SEND_RATE_SMS=2/s allows', async () => {
    const customers = await Promise.all([0, 1, 2, 3, 4, 5].map(smsCustomer));
    const sent = await Promise.all(
      customers.map((customerId) =>
        app.api('POST', '/api/v1/messages', {
          customerId,
          topic: 'orders',
          urgency: 'high',
          purpose: 'transactional',
          template: 'order-shipped',
          data: { order: { id: 'R-1', carrier: 'SF', trackingUrl: 'https://t.example/R' } },
        }),
      ),
    );
    for (const r of sent) {
      expect(r.status).toBe(202);
      expect(r.body.route.channel).toBe('sms');
    }
    const ids = sent.map((r) => r.body.messageId as string);

    const jobs = (await db.query(
      `SELECT DISTINCT queue FROM outbox_jobs WHERE dedupe_key = ANY($1)`,
      [ids.map((id) => `send:${id}`)],
    )) as Array<{ queue: string }>;
    expect(jobs.map((j) => j.queue)).toEqual(['delivery-sms']);

    const attempts = await eventually(
      async () => {
        const rows = (await db.query(
          `SELECT created_at FROM delivery_attempts WHERE message_id = ANY($1) ORDER BY created_at`,
          [ids],
        )) as Array<{ created_at: Date }>;
        return rows.length === 6 ? rows.map((r) => new Date(r.created_at).getTime()) : null;
      },
      'six sms attempts',
      20_000,
    );
    // An attempt is stamped when its outcome is written (a statement concurrent sends share),
    // so a stamp trails its limiter slot by up to a few hundred ms on a loaded machine.
    // Three windows of two: the last send leaves about two seconds after the first.
    expect(attempts[5] - attempts[0]).toBeGreaterThanOrEqual(1600);
    // No window of one second holds more than two sends: unlimited, they would all land at once.
    for (let i = 2; i < attempts.length; i++)
      expect(attempts[i] - attempts[i - 2]).toBeGreaterThanOrEqual(600);
  });

  it('leaves channels without a configured rate unthrottled on their own queue', async () => {
    const r = await app.api('POST', '/api/v1/customers', {
      displayName: 'Rate email',
      identities: [{ channel: 'email', address: 'rate-email@example.com' }],
    });
    const m = await app.api('POST', '/api/v1/messages', {
      customerId: r.body.id,
      topic: 'orders',
      urgency: 'normal',
      purpose: 'transactional',
      template: 'order-shipped',
      data: {
        order: {
          id: 'R-2',
          carrier: 'SF',
          trackingUrl: 'https://t.example/R',
          total: 1,
          currency: 'CNY',
          shippedAt: '2025-03-10T04:00:00Z',
        },
      },
    });
    expect(m.status).toBe(202);
    expect(m.body.route.channel).toBe('email');
    const [job] = (await db.query(`SELECT queue FROM outbox_jobs WHERE dedupe_key = $1`, [
      `send:${m.body.messageId}`,
    ])) as Array<{ queue: string }>;
    expect(job.queue).toBe('delivery-email');
    await eventually(
      async () =>
        (await app.api('GET', `/api/v1/messages/${m.body.messageId}`)).body.attempts?.length === 1,
      'the email attempt',
    );
  });

  it('hands a send staged on the shared delivery queue over to the rate-limited sms queue', async () => {
    const customerId = await smsCustomer(99);
    // A queued message written the way bulk writers do, with its job on the shared 'delivery' queue.
    const [message] = (await db.query(
      `INSERT INTO messages (customer_id, direction, kind, channel, status, text, address, purpose)
       VALUES ($1, 'outbound', 'message', 'sms', 'queued', 'bulk', '+8613877710099', 'transactional') RETURNING id`,
      [customerId],
    )) as Array<{ id: string }>;
    await app.hub.app.get(JobQueueService).enqueue({
      queue: 'delivery',
      name: 'send',
      payload: { messageId: message.id },
      dedupeKey: `send:${message.id}`,
    });

    const handedOver = await eventually(async () => {
      const rows = (await db.query(`SELECT queue, status FROM outbox_jobs WHERE dedupe_key = $1`, [
        `send:${message.id}:sms`,
      ])) as Array<{ queue: string; status: string }>;
      return rows[0]?.status === 'done' ? rows[0] : null;
    }, 'the job on the sms queue');
    expect(handedOver.queue).toBe('delivery-sms');
    const m = await app.api('GET', `/api/v1/messages/${message.id}`);
    expect(m.body.attempts).toEqual([
      { channel: 'sms', status: 'delivered', at: expect.any(String) },
    ]);
  });

  it('refuses a malformed rate at boot, naming the variable', async () => {
    await expect(startTestApp({ SEND_RATE_SMS: 'fast' })).rejects.toThrow(/SEND_RATE_SMS/);
  });
});
