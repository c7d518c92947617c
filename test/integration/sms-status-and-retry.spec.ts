import { DataSource } from 'typeorm';
import { OutboundService } from '../../src/delivery/outbound.service';
import { StatusCallbacksService } from '../../src/delivery/status-callbacks.service';
import { DomainEvents } from '../../src/events/domain-events';
import { InboundService } from '../../src/ingest/inbound.service';
import { SmsInboundJobs } from '../../src/twilio/sms-inbound.jobs';
import type { DeliveryStatus } from '../../src/common/names';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
let db: DataSource;
let seq = 0;
const phone = () => `+86137001${String(46000 + ++seq).padStart(5, '0')}`;

beforeAll(async () => {
  app = await startTestApp();
  db = app.hub.app.get(DataSource);
});
afterAll(() => app.close());

async function sentSms(): Promise<{ messageId: string; providerId: string }> {
  const c = await app.api('POST', '/api/v1/customers', {
    displayName: 'Han Meimei',
    identities: [{ channel: 'sms', address: phone() }],
  });
  const { message } = await app.hub.app
    .get(OutboundService)
    .send({ customerId: c.body.id, channel: 'sms', text: 'hello', purpose: 'transactional' });
  const providerId = await eventually(async () => {
    const rows = (await db.query(
      `SELECT provider_message_id FROM delivery_attempts WHERE message_id = $1`,
      [message.id],
    )) as Array<{ provider_message_id: string }>;
    return rows[0]?.provider_message_id;
  }, 'the sandbox send');
  return { messageId: message.id, providerId };
}

describe(StatusCallbacksService.name, () => {
  it('lands on the furthest status whatever the order, with concurrent callbacks', async () => {
    const statuses = app.hub.app.get(StatusCallbacksService);
    const { messageId, providerId } = await sentSms();
    const events: DeliveryStatus[] = [];
    const off = app.hub.app.get(DomainEvents).on('message.status', (e) => {
      if (e.messageId === messageId) events.push(e.status);
    });
    const burst: DeliveryStatus[] = [
      'read',
      'sent',
      'failed',
      'delivered',
      'queued',
      'undelivered',
      'sent',
      'delivered',
    ];
    await Promise.all(
      burst.map((status) => statuses.apply('sms', { providerMessageId: providerId, status })),
    );
    off();
    const rows = (await db.query(
      `SELECT m.status AS message, a.status AS attempt FROM messages m JOIN delivery_attempts a ON a.message_id = m.id WHERE m.id = $1`,
      [messageId],
    )) as Array<{ message: string; attempt: string }>;
    expect(rows[0]).toEqual({ message: 'read', attempt: 'read' });
    expect(events[events.length - 1]).toBe('read');
  });

  it('returns null for a provider id no attempt carries', async () => {
    expect(
      await app.hub.app
        .get(StatusCallbacksService)
        .apply('sms', { providerMessageId: 'SM-unknown', status: 'delivered' }),
    ).toBeNull();
  });
});

describe(SmsInboundJobs.name, () => {
  it('retries an accepted SMS whose processing failed: one message, and the STOP still recorded', async () => {
    const from = phone();
    let failures = 0;
    app.hub.app.get(InboundService).addHook(async (inbound) => {
      if (inbound.from === from && failures === 0) {
        failures++;
        throw new Error('hook down');
      }
    });
    const sid = `SM${'9'.repeat(31)}${seq}`.slice(0, 34);
    await app.hub.app
      .get(SmsInboundJobs)
      .accept(sid, { body: { MessageSid: sid, From: from, To: '+15005550006', Body: 'STOP' } });
    const consents = await eventually(
      async () => {
        const rows = (await db.query(
          `SELECT c.status, c.source FROM consents c JOIN customer_identities i ON i.customer_id = c.customer_id WHERE i.address = $1`,
          [from],
        )) as Array<{ status: string; source: string }>;
        return rows.length === 3 ? rows : null;
      },
      'the retried job to record the opt-out',
      20_000,
    );
    expect(consents.every((c) => c.status === 'revoked' && c.source === 'sms-keyword')).toBe(true);
    expect(failures).toBe(1);
    const job = await eventually(async () => {
      const rows = (await db.query(
        `SELECT status, attempts FROM outbox_jobs WHERE dedupe_key = $1`,
        [`twilio-sms:${sid}`],
      )) as Array<{ status: string; attempts: number }>;
      return rows[0]?.status === 'done' ? rows[0] : null;
    }, 'the job marked done');
    expect(job.attempts).toBe(2);
    const messages = (await db.query(
      `SELECT count(*)::int AS n FROM messages WHERE channel = 'sms' AND provider_message_id = $1`,
      [sid],
    )) as Array<{ n: number }>;
    expect(messages[0].n).toBe(1);
  });
});

describe('Twilio webhooks without Twilio configured', () => {
  it('answers 503 naming the missing configuration', async () => {
    const r = await fetch(`${app.url}/webhooks/twilio/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'x' },
      body: new URLSearchParams({ MessageSid: 'SM1', From: phone() }).toString(),
    });
    expect(r.status).toBe(503);
    expect(((await r.json()) as { message: string }).message).toMatch(/Twilio is not configured/);
  });
});
