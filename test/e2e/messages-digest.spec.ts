import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import { DigestFlushService } from '../../src/messages/digest-flush.service';
import { DIGEST_JOB } from '../../src/messages/digest-job';
import { DigestsRepository } from '../../src/messages/digests.repository';
import { JobQueueService } from '../../src/queue/job-queue.service';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

/** Digest window: 0.15 minute = 9 s, so a window ends within a test (and the steps before it fit in). */
const WINDOW_MS = 9_000;

let app: TestApp;
let db: DataSource;
let seq = 0;

async function newCustomer(extra: Record<string, unknown> = {}): Promise<string> {
  const r = await app.api('POST', '/api/v1/customers', {
    displayName: `Digest ${++seq}`,
    timezone: 'UTC',
    identities: [{ channel: 'email', address: `d${seq}-${randomUUID().slice(0, 6)}@example.com` }],
    ...extra,
  });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

function shipped(customerId: string, orderId: string, urgency = 'low') {
  return {
    customerId,
    topic: 'orders',
    urgency,
    purpose: 'service',
    template: 'order-shipped',
    data: {
      order: {
        id: orderId,
        carrier: 'SF',
        trackingUrl: `https://t.example/${orderId}`,
        total: 12.5,
        currency: 'CNY',
        shippedAt: '2025-03-10T04:00:00Z',
      },
    },
  };
}

async function send(body: Record<string, unknown>) {
  const r = await app.api('POST', '/api/v1/messages', body);
  expect(r.status).toBe(202);
  return r.body as {
    messageId: string;
    status: string;
    route: { sendAt: string; reasons: string[] };
  };
}

const get = async (id: string) => (await app.api('GET', `/api/v1/messages/${id}`)).body;

async function digestMessages(customerId: string) {
  return (await db.query(
    `SELECT id, status, created_at, metadata FROM messages WHERE customer_id = $1 AND template = 'digest' ORDER BY seq`,
    [customerId],
  )) as Array<{ id: string; status: string; created_at: Date; metadata: any }>;
}

/** The digest message an item points at, once its digest has gone. */
async function carrierOf(itemId: string, timeoutMs = 20_000): Promise<any> {
  const item = await eventually(
    async () => {
      const m = await get(itemId);
      return m.metadata?.digest?.messageId ? m : null;
    },
    `the digest carrying ${itemId}`,
    timeoutMs,
  );
  return get(item.metadata.digest.messageId as string);
}

beforeAll(async () => {
  app = await startTestApp({ DIGEST_WINDOW_MINUTES: String(WINDOW_MS / 60_000) });
  db = app.hub.app.get(DataSource);
});
afterAll(async () => {
  await app?.close();
});

describe('digests of low-urgency messages (POST /api/v1/messages)', () => {
  it('sends the first at once and the next two as ONE digest at the window end; a high one in between goes at once', async () => {
    const id = await newCustomer();
    const first = await send(shipped(id, 'D-1'));
    expect(first.status).toBe('queued');
    const second = await send(shipped(id, 'D-2'));
    const high = await send(shipped(id, 'D-H', 'high'));
    const third = await send(shipped(id, 'D-3'));

    expect(high.status).toBe('queued');
    expect(high.route.reasons.join(' ')).not.toContain('digest');
    for (const held of [second, third]) {
      expect(held.status).toBe('digested');
      expect(held.route.reasons.at(-1)).toMatch(/^gathered into (a new digest|digest )/);
    }
    const firstRow = (await db.query(`SELECT created_at FROM messages WHERE id = $1`, [
      first.messageId,
    ])) as Array<{ created_at: Date }>;
    const windowEnd = firstRow[0].created_at.getTime() + WINDOW_MS;
    expect(new Date(second.route.sendAt).getTime()).toBe(windowEnd);
    expect(third.route.sendAt).toBe(second.route.sendAt);
    const [heldSecond, heldThird] = [await get(second.messageId), await get(third.messageId)];
    expect(heldThird.metadata.digest.id).toBe(heldSecond.metadata.digest.id);

    // The first and the high one go at once, while the other two wait.
    await eventually(
      async () => (await get(first.messageId)).status === 'delivered',
      'the first low message to be delivered',
    );
    await eventually(
      async () => (await get(high.messageId)).status === 'delivered',
      'the high message to be delivered',
    );
    expect((await get(second.messageId)).status).toBe('digested');

    const digest = await carrierOf(second.messageId);
    expect(digest.template).toBe('digest');
    expect(digest.urgency).toBe('low');
    expect(digest.channel).toBe('email');
    expect(digest.metadata.digest.carried).toEqual([second.messageId, third.messageId]);
    expect(digest.route.reasons).toContain(
      `digest ${heldSecond.metadata.digest.id} carries 2 message(s): ${second.messageId}, ${third.messageId}`,
    );
    expect(digest.subject).toBe('Your updates: 2 new');
    expect(digest.text).toContain('D-2');
    expect(digest.text).toContain('D-3');
    expect(digest.text).not.toContain('D-1');
    expect(new Date(digest.createdAt).getTime()).toBeGreaterThanOrEqual(windowEnd);
    await eventually(
      async () => (await get(digest.id)).status === 'delivered',
      'the digest to be delivered',
    );
    const carried = await get(third.messageId);
    expect(carried.status).toBe('digested');
    expect(carried.metadata.digest.messageId).toBe(digest.id);
    // Two low messages, one digest: the customer heard from us twice at low urgency.
    expect(await digestMessages(id)).toHaveLength(1);
    const sentAlone = (await db.query(
      `SELECT count(*)::int AS n FROM delivery_attempts a JOIN messages m ON m.id = a.message_id
       WHERE m.customer_id = $1 AND m.id IN ($2, $3)`,
      [id, second.messageId, third.messageId],
    )) as Array<{ n: number }>;
    expect(sentAlone[0].n).toBe(0);
  }, 40_000);

  it('a duplicate flush job, or a flush repeated after a crash, does not send the digest twice', async () => {
    const id = await newCustomer();
    await send(shipped(id, 'E-1'));
    const held = await send(shipped(id, 'E-2'));
    const digestId = (await get(held.messageId)).metadata.digest.id as string;
    const flusher = app.hub.app.get(DigestFlushService);

    // Two flushes at once, before the digest is even due.
    await Promise.all([flusher.flush({ digestId }), flusher.flush({ digestId })]);
    const [digest] = await digestMessages(id);
    expect(await digestMessages(id)).toHaveLength(1);
    expect(digest.metadata.digest.carried).toEqual([held.messageId]);

    // A flush killed after its message was written but before the items were settled.
    await db.query(`UPDATE digests SET status = 'closed', message_id = NULL WHERE id = $1`, [
      digestId,
    ]);
    await db.query(
      `UPDATE messages SET metadata = metadata #- '{digest,messageId}' WHERE id = $1`,
      [held.messageId],
    );
    await flusher.flush({ digestId });
    expect(await digestMessages(id)).toHaveLength(1);
    expect((await get(held.messageId)).metadata.digest.messageId).toBe(digest.id);

    // The scheduled job and one more queued by hand run too, and find nothing to do.
    const queue = app.hub.app.get(JobQueueService);
    const extra = await queue.enqueue({
      queue: DIGEST_JOB.queue,
      name: DIGEST_JOB.name,
      payload: { digestId },
      dedupeKey: `digest:${digestId}:again`,
    });
    await eventually(
      async () => {
        const rows = (await db.query(
          `SELECT count(*)::int AS n FROM outbox_jobs WHERE status = 'done' AND (id = $1 OR dedupe_key = $2)`,
          [extra, `digest:${digestId}`],
        )) as Array<{ n: number }>;
        return rows[0].n === 2;
      },
      'both flush jobs to finish',
      20_000,
    );
    expect(await digestMessages(id)).toHaveLength(1);
    const rows = (await db.query(`SELECT status, message_id FROM digests WHERE id = $1`, [
      digestId,
    ])) as Array<{ status: string; message_id: string }>;
    expect(rows[0]).toEqual({ status: 'sent', message_id: digest.id });
  }, 40_000);

  it('a message arriving while a digest is being flushed opens the next digest, a window after it', async () => {
    const id = await newCustomer();
    await send(shipped(id, 'F-1'));
    const second = await send(shipped(id, 'F-2'));
    const first = (await get(second.messageId)).metadata.digest as { id: string; dueAt: string };
    // Its flush has begun: closed, its message not written yet.
    await app.hub.app.get(DigestsRepository).close(first.id);
    const third = await send(shipped(id, 'F-3'));
    expect(third.status).toBe('digested');
    const next = (await get(third.messageId)).metadata.digest as { id: string; dueAt: string };
    expect(next.id).not.toBe(first.id);
    expect(new Date(next.dueAt).getTime()).toBe(new Date(first.dueAt).getTime() + WINDOW_MS);
    expect(third.route.sendAt).toBe(next.dueAt);

    await app.hub.app.get(DigestFlushService).flush({ digestId: first.id });
    const a = await carrierOf(second.messageId);
    expect(a.metadata.digest.carried).toEqual([second.messageId]);
    const b = await carrierOf(third.messageId);
    expect(b.metadata.digest.carried).toEqual([third.messageId]);
    expect(new Date(b.createdAt).getTime()).toBeGreaterThanOrEqual(new Date(next.dueAt).getTime());
  }, 40_000);

  it('pushes the digest past the customer quiet hours to their next allowed time', async () => {
    const id = await newCustomer();
    await send(shipped(id, 'Q-1'));
    // Quiet from this minute for two minutes (UTC): the window's end falls inside.
    const now = new Date();
    const clock = (d: Date) => d.toISOString().slice(11, 16);
    const quietEnd = new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 2 * 60_000);
    const prefs = await app.api('PUT', `/api/v1/customers/${id}/preferences`, {
      matrix: [],
      quietHours: { start: clock(now), end: clock(quietEnd) },
    });
    expect(prefs.status).toBe(200);
    const held = await send(shipped(id, 'Q-2'));
    expect(held.status).toBe('digested');
    expect(held.route.sendAt).toBe(quietEnd.toISOString());
    expect(held.route.reasons.at(-1)).toContain('pushed past quiet hours');
    const digestId = (await get(held.messageId)).metadata.digest.id as string;
    const job = (await db.query(`SELECT run_at, status FROM outbox_jobs WHERE dedupe_key = $1`, [
      `digest:${digestId}`,
    ])) as Array<{ run_at: Date; status: string }>;
    expect(job[0].run_at.toISOString()).toBe(quietEnd.toISOString());
    expect(job[0].status).toBe('pending');
  });

  it('drops an item whose consent was revoked since it was gathered, with the reason, and carries the rest', async () => {
    const id = await newCustomer();
    const grant = await app.api('POST', `/api/v1/customers/${id}/consents`, {
      channel: 'email',
      purpose: 'marketing',
      status: 'granted',
      source: 'api',
    });
    expect(grant.status).toBe(201);
    await send(shipped(id, 'C-1'));
    const promo = await send({
      customerId: id,
      topic: 'promo',
      urgency: 'low',
      purpose: 'marketing',
      template: 'welcome',
      data: {
        offer: { percent: 10, code: 'HELLO', until: '2030-01-01' },
        unsubscribeUrl: 'https://u.example/x',
      },
    });
    const service = await send(shipped(id, 'C-2'));
    expect([promo.status, service.status]).toEqual(['digested', 'digested']);
    const revoke = await app.api('POST', `/api/v1/customers/${id}/consents`, {
      channel: 'email',
      purpose: 'marketing',
      status: 'revoked',
      source: 'unsubscribe-link',
    });
    expect(revoke.status).toBe(201);

    const digest = await carrierOf(service.messageId);
    expect(digest.purpose).toBe('service');
    expect(digest.metadata.digest.carried).toEqual([service.messageId]);
    expect(digest.text).toContain('C-2');
    expect(digest.text).not.toContain('HELLO');
    const dropped = await get(promo.messageId);
    expect(dropped.status).toBe('suppressed');
    expect(dropped.metadata.digest.dropped).toMatch(/^no route for a marketing digest/);
  }, 40_000);

  it('renders the digest in the customer locale (zh-CN)', async () => {
    const id = await newCustomer({ locale: 'zh-CN' });
    await send(shipped(id, 'Z-1'));
    const held = await send(shipped(id, 'Z-2'));
    const digest = await carrierOf(held.messageId);
    expect(digest.subject).toBe('您有 1 条新消息');
    expect(digest.text).toContain('Z-2');
  }, 40_000);
});
