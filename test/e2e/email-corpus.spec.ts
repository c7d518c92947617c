import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { createTransport } from 'nodemailer';
import { DataSource } from 'typeorm';
import { EmailReceiverService } from '../../src/email/email-receiver.service';
import { CsatService } from '../../src/inbox/csat.service';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The public corpus (test/fixtures/mail, sources in its README) delivered over SMTP to the
 * booted hub, each stored result checked against an independent reading: mailparser's
 * simpleParser for what a message says, the fixture manifest (cases.json) for who a bounce,
 * complaint or receipt is about and for what simpleParser itself misreads.
 */
const DIR = join(__dirname, '..', 'fixtures', 'mail');
const INBOX = 'support@hub.example';
const WEBHOOK_SECRET = 'corpus-webhook-secret';

interface Case {
  file: string;
  classes: number[];
  expect: {
    bounce?: {
      recipient: string;
      permanent?: boolean;
      status?: string;
      also?: string[];
      alsoStatus?: Record<string, string>;
      originalMessageId?: string;
      unknownRecipient?: boolean;
    };
    complaint?: { complainant: string };
    receipt?: { reader: string; originalMessageId: string };
    message?: {
      text?: string;
      textIncludes?: string;
      textExcludes?: string;
      subject?: string;
      sender?: string;
      smtputf8?: boolean;
      rawKept?: boolean;
      repeats?: boolean;
      mailingList?: boolean;
      autoReply?: boolean;
      attachments?: Array<{ filename: string; contentType?: string; magic?: string }>;
    };
  };
}

type Row = Record<string, any>;
const cases = JSON.parse(readFileSync(join(DIR, 'cases.json'), 'utf8')) as Case[];
const raw = (file: string) => readFileSync(join(DIR, file));
const byKind = (kind: keyof Case['expect']) =>
  cases.filter((c) => c.expect[kind]).map((c) => [c.file, c] as const);
/** Text as both readers give it: LF line ends, no NULs, no trailing blanks. */
const plain = (text: string | undefined) =>
  (text ?? '')
    .replace(/\r\n?/g, '\n')
    .replace(/\u0000/g, '')
    .replace(/[ \t]+$/gm, '')
    .trim();

describe('The public mail corpus through the SMTP receiver (EmailModule)', () => {
  let app: TestApp;
  let port: number;
  const db = () => app.hub.app.get(DataSource);
  const q = async (sql: string, params: unknown[] = []) => (await db().query(sql, params)) as Row[];

  /** Delivers over SMTP; every answer must be 250, whatever the content. */
  const deliver = async (message: Buffer, from = 'relay@mx.example.net') => {
    const info = await createTransport({
      host: '127.0.0.1',
      port,
      secure: false,
      ignoreTLS: true,
    }).sendMail({ envelope: { from, to: INBOX }, raw: message });
    expect(info.response).toMatch(/^250 /);
  };
  /** The customer with this address (created unless an earlier case did), its identity active again. */
  const newCustomer = async (address: string) => {
    const r = await app.api('POST', '/api/v1/customers', {
      displayName: address,
      identities: [{ channel: 'email', address }],
    });
    if (r.status === 409) {
      await q(
        `UPDATE customer_identities SET status = 'active', status_reason = NULL WHERE kind = 'email' AND address = $1`,
        [address],
      );
      const found = await app.api(
        'GET',
        `/api/v1/customers?identity=email:${encodeURIComponent(address)}`,
      );
      return found.body.id as string;
    }
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  /** Where this case's writes begin: fixtures share addresses, so each case reads only its own. */
  const mark = async () =>
    Number((await q(`SELECT COALESCE(max(seq), 0) AS s FROM messages`))[0].s);
  const inboundOf = (address: string, since: number) =>
    q(
      `SELECT m.* FROM messages m JOIN customer_identities i ON i.customer_id = m.customer_id
       WHERE i.kind = 'email' AND i.address = $1 AND m.direction = 'inbound' AND m.seq > $2 ORDER BY m.seq`,
      [address, since],
    );
  const conversationsOf = (customerId: string, since = 0) =>
    q(
      `SELECT c.* FROM conversations c WHERE c.customer_id = $1
         AND EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.seq > $2)`,
      [customerId, since],
    );
  const identityOf = async (address: string) =>
    (
      await q(`SELECT * FROM customer_identities WHERE kind = 'email' AND address = $1`, [address])
    )[0];

  beforeAll(async () => {
    app = await startTestApp({
      START_SMTP_RECEIVER: 'true',
      SMTP_INBOUND_PORT: '0',
      EMAIL_INBOXES: INBOX,
      EMAIL_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    port = app.hub.app.get(EmailReceiverService).boundPort!;
  });
  afterAll(() => app.close());

  it('covers every class of issue 16 with public fixtures', () => {
    const covered = new Set(cases.flatMap((c) => c.classes));
    expect([...covered].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it.each(byKind('bounce'))(
    '%s: marks the failed recipient on their own timeline, opens nothing',
    async (file, c) => {
      const want = c.expect.bounce!;
      const independent = await simpleParser(raw(file));
      const reporter = independent.from?.value[0]?.address?.toLowerCase() ?? '';
      const customersBefore = (await q(`SELECT count(*)::int AS n FROM customers`))[0].n as number;
      const ids = want.unknownRecipient
        ? []
        : await Promise.all([want.recipient, ...(want.also ?? [])].map(newCustomer));
      // The message the bounce quotes, as we would have sent it.
      const [sent] = want.originalMessageId
        ? await q(
            `INSERT INTO messages (customer_id, direction, kind, channel, status, text, subject, address, provider_message_id, purpose)
             VALUES ($1, 'outbound', 'message', 'email', 'sent', 'Hi', 'Hi', $2, $3, 'service') RETURNING id`,
            [ids[0], want.recipient, want.originalMessageId],
          )
        : [];
      const since = await mark();
      await deliver(raw(file), '');
      if (sent) {
        const [failed] = await q(`SELECT status, metadata FROM messages WHERE id = $1`, [sent.id]);
        expect(failed.status).toBe('failed');
        expect(failed.metadata.delivery.errorCode).toBe(want.status ?? '5.0.0');
      }
      for (const [address, status] of Object.entries(want.alsoStatus ?? {}))
        expect((await identityOf(address)).status_reason).toContain(status);
      if (reporter) expect(await identityOf(reporter)).toBeUndefined();
      if (want.unknownRecipient) {
        const after = (await q(`SELECT count(*)::int AS n FROM customers`))[0].n as number;
        expect(after).toBe(customersBefore);
        return;
      }
      for (const address of [want.recipient, ...(want.also ?? [])]) {
        const identity = await identityOf(address);
        if (want.permanent === false) expect(identity.status).not.toBe('bounced');
        else {
          expect(identity.status).toBe('bounced');
          expect(identity.status_reason).toMatch(/^bounce /);
        }
      }
      if (want.status)
        expect((await identityOf(want.recipient)).status_reason).toContain(want.status);
      const events = await inboundOf(want.recipient, since);
      expect(events).toHaveLength(1);
      expect(events[0].kind).toBe('event');
      expect(events[0].auto_reply).toBe(true);
      expect(events[0].metadata.bounce.recipient).toBe(want.recipient);
      expect(events[0].conversation_id).toBeNull();
      expect(await conversationsOf(ids[0], since)).toHaveLength(0);
    },
  );

  it.each(byKind('complaint'))(
    '%s: revokes the complainant’s marketing consent with the report as evidence',
    async (file, c) => {
      const address = c.expect.complaint!.complainant;
      const customerId = await newCustomer(address);
      const granted = await app.api('POST', `/api/v1/customers/${customerId}/consents`, {
        channel: 'email',
        purpose: 'marketing',
        status: 'granted',
        source: 'signup-form',
      });
      expect(granted.status).toBe(201);
      const since = await mark();
      await deliver(raw(file), '');
      const history = await app.api('GET', `/api/v1/customers/${customerId}/consents`);
      const latest = (history.body.items ?? history.body) as Row[];
      const marketing = latest.filter((r) => r.channel === 'email' && r.purpose === 'marketing');
      expect(marketing[0].status).toBe('revoked');
      expect(marketing[0].source).toBe('email-feedback-report');
      expect(marketing[0].evidence.report).toBe('arf');
      expect(marketing[0].evidence.complainant).toBe(address);
      const events = await inboundOf(address, since);
      expect(events).toHaveLength(1);
      expect(events[0].kind).toBe('event');
      expect(marketing[0].evidence.timelineMessageId).toBe(events[0].id);
      expect(await conversationsOf(customerId, since)).toHaveLength(0);
    },
  );

  it.each(byKind('receipt'))('%s: marks the message it names read', async (file, c) => {
    const want = c.expect.receipt!;
    const customerId = await newCustomer(want.reader);
    const [sent] = await q(
      `INSERT INTO messages (customer_id, direction, kind, channel, status, text, subject, address, provider_message_id, purpose)
       VALUES ($1, 'outbound', 'message', 'email', 'delivered', 'Hello', 'Hello', $2, $3, 'service') RETURNING id`,
      [customerId, want.reader, want.originalMessageId],
    );
    const since = await mark();
    await deliver(raw(file), '');
    const [after] = await q(`SELECT status FROM messages WHERE id = $1`, [sent.id]);
    expect(after.status).toBe('read');
    const events = await inboundOf(want.reader, since);
    expect(events.map((e) => e.kind)).toEqual(['event']);
    expect(await conversationsOf(customerId, since)).toHaveLength(0);
  });

  it.each(byKind('message'))('%s: stored as its independent reading says', async (file, c) => {
    const want = c.expect.message!;
    const bytes = raw(file);
    // The independent reader gets a copy it can read: CR-only line ends made CRLF.
    const readable = c.file.includes('cr-only')
      ? Buffer.from(bytes.toString('latin1').replace(/\r/g, '\r\n'), 'latin1')
      : bytes;
    const independent = await simpleParser(readable);
    const sender = want.sender ?? independent.from!.value[0].address!.toLowerCase();
    const since = await mark();
    await deliver(bytes, want.smtputf8 ? sender : 'relay@mx.example.net');
    const stored = await inboundOf(sender, since);
    expect(stored).toHaveLength(1);
    const m = stored[0];
    expect(m.kind).toBe('message');
    expect(m.subject ?? undefined).toBe(want.subject ?? independent.subject);
    expect(JSON.stringify(m)).not.toContain('\\u0000');
    if (want.text !== undefined) expect(plain(m.metadata.originalText)).toBe(want.text);
    else if (!want.textExcludes)
      expect(plain(m.metadata.originalText)).toBe(plain(independent.text));
    if (want.textIncludes) expect(m.text).toContain(want.textIncludes);
    if (want.textExcludes) expect(m.metadata.originalText).not.toContain(want.textExcludes);
    if (plain(independent.text) !== '') expect(m.text.trim()).not.toBe('');
    expect(m.auto_reply).toBe(want.autoReply ?? false);
    if (want.attachments) {
      expect(m.attachments.map((a: Row) => a.filename)).toEqual(
        want.attachments.map((a) => a.filename),
      );
      const files = await q(
        `SELECT filename, content_type, content FROM attachments WHERE message_id = $1`,
        [m.id],
      );
      for (const a of want.attachments) {
        const f = files.find((x) => x.filename === a.filename)!;
        if (a.contentType) expect(f.content_type).toBe(a.contentType);
        if (a.magic) expect((f.content as Buffer).subarray(0, 4).toString('hex')).toBe(a.magic);
      }
    }
    if (want.rawKept) {
      const [original] = await q(
        `SELECT content FROM attachments WHERE message_id = $1 AND filename = 'original-message.eml'`,
        [m.id],
      );
      expect((original.content as Buffer).equals(bytes)).toBe(true);
    }
    const conversations = await conversationsOf(m.customer_id, since);
    expect(conversations).toHaveLength(want.autoReply ? 0 : 1);
    if (want.mailingList) {
      expect(m.metadata.mailingList).toBeDefined();
      await app.hub.app.get(CsatService).request(conversations[0].id);
      const [conv] = await conversationsOf(m.customer_id, since);
      expect(conv.csat_requested_at).toBeNull();
      expect(
        await q(`SELECT 1 FROM messages WHERE conversation_id = $1 AND direction = 'outbound'`, [
          conv.id,
        ]),
      ).toHaveLength(0);
    }
    if (want.repeats) await repeats(bytes, sender, since);
  });

  it.each(['derived-cr-only.eml', 'derived-nul-raw.eml', 'derived-bom-prelude.eml'])(
    '%s through the webhook, its bytes unchanged by any SMTP client: stored',
    async (file) => {
      const res = await fetch(`${app.url}/webhooks/email/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'message/rfc822', 'x-webhook-secret': WEBHOOK_SECRET },
        body: new Uint8Array(raw(file)),
      });
      const body = (await res.json()) as Row;
      expect(res.status).toBe(202);
      const [m] = await q(`SELECT * FROM messages WHERE id = $1`, [body.messageId]);
      expect(m.address).toBe('test@lindsaar.net');
      expect(m.subject).toBe('Testing 123');
      expect(plain(m.metadata.originalText)).toBe('Plain email.\n\nHope it works well!\n\nMikel');
      expect(JSON.stringify(m)).not.toContain('\\u0000');
    },
  );

  /**
   * The same mail again is a repeat; another sender's copy of the Message-ID (a forward, a
   * redirect) is not, nor is the same sender's reuse of the id for another message.
   */
  async function repeats(bytes: Buffer, sender: string, since: number) {
    await deliver(bytes);
    expect(await inboundOf(sender, since)).toHaveLength(1);
    const text = bytes.toString('latin1');
    const forwarded = text.replace(/^From: .*$/m, 'From: Other Person <other.person@example.org>');
    await deliver(Buffer.from(forwarded, 'latin1'));
    expect(await inboundOf('other.person@example.org', since)).toHaveLength(1);
    const redirected = `Resent-From: Redirector <redirector@example.org>\r\nResent-Date: Sat, 22 Nov 2008 16:00:00 +1100\r\n${text}`;
    await deliver(Buffer.from(redirected, 'latin1'), 'redirector@example.org');
    await deliver(Buffer.from(redirected, 'latin1'), 'redirector@example.org');
    let mine = await inboundOf(sender, since);
    expect(mine).toHaveLength(2);
    expect(mine[1].metadata.resentFrom).toContain('redirector@example.org');
    // The same sender reusing the Message-ID for another message.
    const reused = text
      .replace(/^Subject: .*$/m, 'Subject: Testing 456')
      .replace('Plain email.', 'Another email.');
    await deliver(Buffer.from(reused, 'latin1'));
    mine = await inboundOf(sender, since);
    expect(mine.map((m) => m.subject)).toEqual(['Testing 123', 'Testing 123', 'Testing 456']);
  }
});
