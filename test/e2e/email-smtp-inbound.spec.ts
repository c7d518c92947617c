import { startTestApp, type TestApp } from '../support/test-app';
import { readFileSync } from 'fs';
import { createTransport } from 'nodemailer';
import { join } from 'path';
import { DataSource } from 'typeorm';
import { EmailReceiverService } from '../../src/email/email-receiver.service';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'email', name));
const INBOX = 'support@hub.example';
const MAX_BYTES = 200_000;

function mail(opts: {
  from: string;
  id: string;
  subject: string;
  text: string;
  headers?: Record<string, string>;
}): Buffer {
  const head = [
    `From: Customer <${opts.from}>`,
    `To: Support <${INBOX}>`,
    `Subject: ${opts.subject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${opts.id}>`,
    ...Object.entries(opts.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset="utf-8"',
  ];
  return Buffer.from(`${head.join('\r\n')}\r\n\r\n${opts.text}\r\n`);
}

describe('Email in through the SMTP receiver (EmailModule)', () => {
  let app: TestApp;
  let port: number;
  const overrides = {
    START_SMTP_RECEIVER: 'true',
    SMTP_INBOUND_PORT: '0',
    EMAIL_INBOXES: INBOX,
    EMAIL_MAX_BYTES: String(MAX_BYTES),
  };

  const boot = async (shared?: { db: TestApp['db']; prefix: string }) => {
    app = await startTestApp(overrides, shared);
    port = app.hub.app.get(EmailReceiverService).boundPort!;
  };
  const send = (raw: Buffer, to = INBOX) =>
    createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true }).sendMail({
      envelope: { from: 'someone@example.net', to },
      raw,
    });
  const db = () => app.hub.app.get(DataSource);
  const timelineOf = async (address: string) => {
    const c = await app.api(
      'GET',
      `/api/v1/customers?identity=email:${encodeURIComponent(address)}`,
    );
    expect(c.status).toBe(200);
    const t = await app.api('GET', `/api/v1/customers/${c.body.id}/timeline?limit=50`);
    return { customerId: c.body.id as string, items: t.body.items as Array<Record<string, any>> };
  };

  beforeAll(() => boot());
  afterAll(() => app.close());

  it('puts a GB2312 mail on the timeline decoded, subject and body', async () => {
    const info = await send(fixture('gb2312-body-subject.eml'));
    expect(info.response).toMatch(/^250/);
    const { items } = await timelineOf('wang.fang@example.cn');
    expect(items).toHaveLength(1);
    expect(items[0].subject).toBe('关于发票的问题');
    expect(items[0].text).toContain('我上周申请的发票还没有收到');
    expect(items[0].channel).toBe('email');
  });

  it('joins a reply to its earlier conversation through In-Reply-To, reopening it even past the reopen window', async () => {
    await send(
      mail({
        from: 'li.lei@example.com',
        id: 'first-1@example.com',
        subject: 'Order 1',
        text: 'Where is my order?',
      }),
    );
    const first = await timelineOf('li.lei@example.com');
    const conversationId = first.items[0].conversationId as string;
    await db().query(
      `UPDATE conversations SET status = 'resolved', resolved_at = now() - interval '60 days' WHERE id = $1`,
      [conversationId],
    );
    await send(
      mail({
        from: 'li.lei@example.com',
        id: 'reply-1@example.com',
        subject: 'Re: Order 1',
        text: 'Still nothing.',
        headers: { 'In-Reply-To': '<first-1@example.com>', References: '<first-1@example.com>' },
      }),
    );
    const after = await timelineOf('li.lei@example.com');
    const inbound = after.items.filter((m) => m.direction === 'inbound');
    expect(inbound).toHaveLength(2);
    expect(inbound[0].conversationId).toBe(conversationId);
    const conv = (await db().query(`SELECT status FROM conversations WHERE id = $1`, [
      conversationId,
    ])) as Array<{ status: string }>;
    expect(conv[0].status).toBe('open');
  });

  it('keeps an auto-reply marked and does not reopen a resolved conversation', async () => {
    await send(
      mail({
        from: 'k.tanaka@example.jp',
        id: 'ask-9912@example.jp',
        subject: 'Renewal',
        text: 'Please renew.',
      }),
    );
    const first = await timelineOf('k.tanaka@example.jp');
    const conversationId = first.items[0].conversationId as string;
    await db().query(
      `UPDATE conversations SET status = 'resolved', resolved_at = now() WHERE id = $1`,
      [conversationId],
    );
    await send(
      mail({
        from: 'k.tanaka@example.jp',
        id: 'ooo-9912@example.jp',
        subject: 'Automatic reply: Renewal',
        text: 'I am out of the office until March 18.',
        headers: { 'In-Reply-To': '<ask-9912@example.jp>', 'Auto-Submitted': 'auto-replied' },
      }),
    );
    const after = await timelineOf('k.tanaka@example.jp');
    const inbound = after.items.filter((m) => m.direction === 'inbound');
    expect(inbound).toHaveLength(2);
    expect(inbound[0].autoReply).toBe(true);
    expect(inbound[0].conversationId).toBe(conversationId);
    const conv = (await db().query(`SELECT status FROM conversations WHERE id = $1`, [
      conversationId,
    ])) as Array<{ status: string }>;
    expect(conv[0].status).toBe('resolved');
  });

  it('marks a bounced address and fails the message the bounce reports on, with the DSN code', async () => {
    const created = await app.api('POST', '/api/v1/customers', {
      displayName: 'No Such User',
      identities: [{ channel: 'email', address: 'no.such.user@customer.example' }],
    });
    expect(created.status).toBe(201);
    const customerId = created.body.id as string;
    // The message the relay bounced: sent earlier with Message-ID <0f3c9a2e-order-shipped@hub.example>.
    const sent = (await db().query(
      `INSERT INTO messages (customer_id, direction, kind, channel, status, text, subject, address, provider_message_id, purpose)
       VALUES ($1, 'outbound', 'message', 'email', 'sent', 'Your order has shipped', 'Your order has shipped', 'no.such.user@customer.example', '0f3c9a2e-order-shipped@hub.example', 'transactional')
       RETURNING id`,
      [customerId],
    )) as Array<{ id: string }>;
    await send(fixture('bounce-dsn.eml'));
    const identity = (await db().query(
      `SELECT status, status_reason FROM customer_identities WHERE kind = 'email' AND address = $1`,
      ['no.such.user@customer.example'],
    )) as Array<{ status: string; status_reason: string }>;
    expect(identity[0].status).toBe('bounced');
    expect(identity[0].status_reason).toContain('5.1.1');
    const msg = await app.api('GET', `/api/v1/customers/${customerId}/timeline?limit=10`);
    const original = (msg.body.items as Array<Record<string, any>>).find(
      (m) => m.id === sent[0].id,
    )!;
    expect(original.status).toBe('failed');
    expect(original.metadata.delivery.errorCode).toBe('5.1.1');
    const event = (msg.body.items as Array<Record<string, any>>).find((m) => m.kind === 'event')!;
    expect(event.autoReply).toBe(true);
    expect(event.metadata.bounce.recipient).toBe('no.such.user@customer.example');
  });

  it('refuses mail for an unknown inbox with 550', async () => {
    const err = (await send(
      mail({ from: 'a@example.com', id: 'unknown-inbox@example.com', subject: 'x', text: 'x' }),
      'nobody@hub.example',
    ).then(
      () => null,
      (e: { responseCode?: number; response?: string }) => e,
    ))!;
    expect(err.responseCode).toBe(550);
    expect(err.response).toContain('no such inbox');
  });

  it('refuses an oversize message with 552', async () => {
    const big = mail({
      from: 'big@example.com',
      id: 'big-1@example.com',
      subject: 'big',
      text: 'x'.repeat(MAX_BYTES + 10_000),
    });
    const err = (await send(big).then(
      () => null,
      (e: { responseCode?: number }) => e,
    ))!;
    expect(err.responseCode).toBe(552);
    const rows = (await db().query(
      `SELECT 1 FROM messages WHERE provider_message_id = 'big-1@example.com'`,
    )) as unknown[];
    expect(rows).toHaveLength(0);
  });

  it('keeps a message answered 250 even when the app stops right after', async () => {
    const info = await send(
      mail({
        from: 'restart@example.com',
        id: 'restart-1@example.com',
        subject: 'Restart',
        text: 'Do not lose me.',
      }),
    );
    expect(info.response).toMatch(/^250/);
    const shared = { db: app.db, prefix: app.env.QUEUE_PREFIX };
    await app.hub.close();
    await boot(shared);
    const { items } = await timelineOf('restart@example.com');
    expect(items.map((m) => m.text)).toEqual(['Do not lose me.']);
  });
});
