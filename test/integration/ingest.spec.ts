import { DataSource } from 'typeorm';
import { IngestService } from '../../src/ingest/ingest.service';
import { DomainEvents } from '../../src/events/domain-events';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

describe(IngestService.name, () => {
  let app: TestApp;
  let ingest: IngestService;
  let db: DataSource;
  let n = 0;
  const id = () => `it-${Date.now()}-${++n}`;

  beforeAll(async () => {
    app = await startTestApp();
    ingest = app.hub.app.get(IngestService);
    db = app.hub.app.get(DataSource);
  });
  afterAll(() => app.close());

  const count = async (sql: string, args: unknown[]) =>
    Number(((await db.query(sql, args)) as Array<{ n: string }>)[0].n);

  it('creates customer, identity, conversation and message for a new sender, in one go', async () => {
    const events: string[] = [];
    const events$ = app.hub.app.get(DomainEvents);
    const offs = [
      events$.on('conversation.created', () => events.push('conversation.created')),
      events$.on('message.created', () => events.push('message.created')),
    ];
    const r = await ingest.ingest({
      channel: 'email',
      from: 'New.Person@Example.com',
      providerMessageId: id(),
      text: 'hi',
      subject: 'Order',
      senderName: 'New Person',
    });
    offs.forEach((f) => f());
    expect(r.created && r.newCustomer && r.newConversation).toBe(true);
    expect(r.message.address).toBe('new.person@example.com');
    expect(r.conversation?.status).toBe('open');
    expect(r.conversation?.lastInboundChannel).toBe('email');
    // The conversation already carries its first message, as a returning sender's would.
    expect(r.conversation).toMatchObject({ subject: 'Order', lastMessagePreview: 'hi' });
    expect(r.conversation?.lastMessageAt).toEqual(expect.any(String));
    const cust = (await db.query(
      `SELECT display_name, last_contact_at FROM customers WHERE id = $1`,
      [r.customerId],
    )) as Array<{ display_name: string; last_contact_at: Date | null }>;
    expect(cust[0].display_name).toBe('New Person');
    expect(cust[0].last_contact_at).not.toBeNull();
    expect(events).toEqual(['conversation.created', 'message.created']);
  });

  it('puts a returning sender on the same customer and conversation, across sms and voice', async () => {
    const a = await ingest.ingest({
      channel: 'sms',
      from: '+86 138 0013 8001',
      providerMessageId: id(),
      text: 'first',
    });
    const b = await ingest.ingest({
      channel: 'voice',
      from: '+8613800138001',
      providerMessageId: id(),
      text: 'Voicemail (3 s)',
      kind: 'call',
    });
    expect(b.customerId).toBe(a.customerId);
    expect(b.conversation?.id).toBe(a.conversation?.id);
    expect(b.newCustomer || b.newConversation).toBe(false);
    expect(b.message.kind).toBe('call');
    expect(
      await count(`SELECT count(*) AS n FROM customer_identities WHERE customer_id = $1`, [
        a.customerId,
      ]),
    ).toBe(1);
  });

  it('returns the existing message for a retried provider message id', async () => {
    const pid = id();
    const first = await ingest.ingest({
      channel: 'wechat',
      from: 'wxid_retry',
      providerMessageId: pid,
      text: 'hello',
    });
    const again = await ingest.ingest({
      channel: 'wechat',
      from: 'wxid_retry',
      providerMessageId: pid,
      text: 'hello',
    });
    expect(again.created).toBe(false);
    expect(again.message.id).toBe(first.message.id);
    expect(
      await count(`SELECT count(*) AS n FROM messages WHERE provider_message_id = $1`, [pid]),
    ).toBe(1);
  });

  it('writes a burst from known senders at once: each message once, in order, conversations as their last message leaves them', async () => {
    const senders = ['+8613600136001', '+8613600136002', '+8613600136003'];
    const first = await Promise.all(
      senders.map(async (from) => {
        const r = await ingest.ingest({
          channel: 'sms',
          from,
          providerMessageId: id(),
          text: 'hi',
        });
        return r.conversation!.id;
      }),
    );
    const dup = id();
    const burst = [
      { from: senders[0], providerMessageId: id(), text: 'a1' },
      { from: senders[1], providerMessageId: id(), text: 'b1' },
      { from: senders[0], providerMessageId: id(), text: 'a2' },
      { from: senders[2], providerMessageId: dup, text: 'c1' },
      { from: senders[2], providerMessageId: dup, text: 'c1' },
      { from: senders[0], providerMessageId: id(), text: 'a3' },
      { from: '+8613600136009', providerMessageId: id(), text: 'new sender' },
    ];
    const results = await Promise.all(burst.map((m) => ingest.ingest({ channel: 'sms', ...m })));
    // Every message but the repeated delivery is new; of the two copies, whichever is written
    // second (batches may take them in either order) answers with the first one's message.
    const created = results.map((r) => r.created);
    expect([...created.slice(0, 3), created[5], created[6]]).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect([created[3], created[4]].sort()).toEqual([false, true]);
    expect(results[4].message.id).toBe(results[3].message.id);
    expect(results.slice(0, 6).map((r) => r.conversation!.id)).toEqual([
      first[0],
      first[1],
      first[0],
      first[2],
      first[2],
      first[0],
    ]);
    expect(results[6].newCustomer).toBe(true);
    for (const m of burst)
      expect(
        await count(`SELECT count(*) AS n FROM messages WHERE provider_message_id = $1`, [
          m.providerMessageId,
        ]),
      ).toBe(1);
    // One sender's messages land in the order they came, and the conversation shows the last.
    const order = (await db.query(
      `SELECT text FROM messages WHERE conversation_id = $1 AND text LIKE 'a%' ORDER BY seq`,
      [first[0]],
    )) as Array<{ text: string }>;
    expect(order.map((r) => r.text)).toEqual(['a1', 'a2', 'a3']);
    const [conv] = (await db.query(`SELECT last_message_preview FROM conversations WHERE id = $1`, [
      first[0],
    ])) as Array<{ last_message_preview: string }>;
    expect(conv.last_message_preview).toBe('a3');
    expect(results[5].conversation!.lastMessagePreview).toBe('a3');
    expect(results[0].conversation!.customer?.displayName).toBe(senders[0]);
  });

  it('never makes two rows, customers or conversations from concurrent duplicates of a first contact', async () => {
    const pid = id();
    const results = await Promise.all(
      Array.from({ length: 25 }, () =>
        ingest.ingest({
          channel: 'sms',
          from: '+14155550123',
          providerMessageId: pid,
          text: 'race',
        }),
      ),
    );
    expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(
      await count(`SELECT count(*) AS n FROM messages WHERE provider_message_id = $1`, [pid]),
    ).toBe(1);
    expect(
      await count(
        `SELECT count(*) AS n FROM customer_identities WHERE address = '+14155550123'`,
        [],
      ),
    ).toBe(1);
    expect(
      await count(`SELECT count(*) AS n FROM conversations WHERE customer_id = $1`, [
        results[0].customerId,
      ]),
    ).toBe(1);
  });

  it('writes one message when two new senders deliver the same provider message id at once, and no customer for the other', async () => {
    const pid = id();
    const [a, b] = await Promise.all(
      ['+14155550801', '+14155550802'].map((from) =>
        ingest.ingest({ channel: 'sms', from, providerMessageId: pid, text: 'collide' }),
      ),
    );
    expect(a.message.id).toBe(b.message.id);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    const winner = a.created ? '+14155550801' : '+14155550802';
    const loser = a.created ? '+14155550802' : '+14155550801';
    expect(a.message.address).toBe(winner);
    const identities = (await db.query(
      `SELECT address FROM customer_identities WHERE address = ANY($1) ORDER BY address`,
      [[winner, loser]],
    )) as Array<{ address: string }>;
    expect(identities.map((i) => i.address)).toEqual([winner]);
  });

  it('opens a first contact’s conversation with its SLA cycle begun, timed by the most specific policy', async () => {
    await db.query(
      `INSERT INTO sla_policies (name, channel, first_response_seconds, resolution_seconds)
       VALUES ('any channel', NULL, 900, NULL), ('voice only', 'voice', 60, 600)`,
    );
    try {
      const r = await ingest.ingest({
        channel: 'voice',
        from: '+14155550804',
        providerMessageId: id(),
        text: 'call me',
      });
      expect(r.newCustomer).toBe(true);
      const [c] = (await db.query(`SELECT sla_cycle_at FROM conversations WHERE id = $1`, [
        r.conversation!.id,
      ])) as Array<{ sla_cycle_at: Date }>;
      expect(c.sla_cycle_at).not.toBeNull();
      const cycle = new Date(c.sla_cycle_at).getTime();
      const timers = await eventually(async () => {
        const rows = (await db.query(
          `SELECT dedupe_key, run_at FROM outbox_jobs WHERE dedupe_key LIKE $1 ORDER BY dedupe_key`,
          [`sla:${r.conversation!.id}:%`],
        )) as Array<{ dedupe_key: string; run_at: Date }>;
        return rows.length === 2 ? rows : null;
      }, 'both SLA timers');
      expect(timers.map((t) => t.dedupe_key)).toEqual([
        `sla:${r.conversation!.id}:first_response:${cycle}`,
        `sla:${r.conversation!.id}:resolution:${cycle}`,
      ]);
      // The voice policy (60 s, 600 s), not the general one (900 s).
      expect(new Date(timers[0].run_at).getTime() - cycle).toBe(60_000);
      expect(new Date(timers[1].run_at).getTime() - cycle).toBe(600_000);
    } finally {
      await db.query(`DELETE FROM sla_policies WHERE name IN ('any channel', 'voice only')`);
    }
  });

  it('keeps the attachments a first message lists without content', async () => {
    const r = await ingest.ingest({
      channel: 'sms',
      from: '+14155550803',
      providerMessageId: id(),
      text: '',
      attachments: [
        {
          filename: 'photo.jpg',
          contentType: 'image/jpeg',
          size: 1234,
          url: 'https://media.example/p.jpg',
        },
      ],
    });
    expect(r.newCustomer).toBe(true);
    expect(r.message.attachments).toEqual([
      {
        filename: 'photo.jpg',
        contentType: 'image/jpeg',
        size: 1234,
        url: 'https://media.example/p.jpg',
      },
    ]);
    expect(r.conversation?.lastMessagePreview).toBe('[1 attachment(s)]');
  });

  it('opens one conversation when different messages of a new sender arrive at once', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        ingest.ingest({
          channel: 'livechat',
          from: 'visitor-burst',
          providerMessageId: id(),
          text: `m${i}`,
        }),
      ),
    );
    expect(new Set(results.map((r) => r.customerId)).size).toBe(1);
    expect(new Set(results.map((r) => r.conversation?.id)).size).toBe(1);
    expect(
      await count(`SELECT count(*) AS n FROM messages WHERE customer_id = $1`, [
        results[0].customerId,
      ]),
    ).toBe(10);
  });

  it('reopens a resolved conversation on a new message, but not for an auto-reply', async () => {
    const a = await ingest.ingest({
      channel: 'email',
      from: 'reopen@example.com',
      providerMessageId: id(),
      text: 'help',
    });
    await db.query(
      `UPDATE conversations SET status = 'resolved', resolved_at = now() WHERE id = $1`,
      [a.conversation!.id],
    );
    const auto = await ingest.ingest({
      channel: 'email',
      from: 'reopen@example.com',
      providerMessageId: id(),
      text: 'I am away',
      autoReply: true,
    });
    expect(auto.conversation?.status).toBe('resolved');
    expect(auto.message.autoReply).toBe(true);
    const b = await ingest.ingest({
      channel: 'email',
      from: 'reopen@example.com',
      providerMessageId: id(),
      text: 'still broken',
    });
    expect(b.conversation?.id).toBe(a.conversation!.id);
    expect(b.conversation?.status).toBe('open');
  });

  it('threads an e-mail reply into the conversation its In-Reply-To points at', async () => {
    const first = await ingest.ingest({
      channel: 'email',
      from: 'thread@example.com',
      providerMessageId: 'orig-1@mail.example.com',
      text: 'q1',
    });
    await db.query(
      `UPDATE conversations SET status = 'resolved', resolved_at = now() - interval '30 days' WHERE id = $1`,
      [first.conversation!.id],
    );
    const other = await ingest.ingest({
      channel: 'email',
      from: 'thread@example.com',
      providerMessageId: id(),
      text: 'new topic',
    });
    expect(other.conversation?.id).not.toBe(first.conversation!.id);
    await db.query(
      `UPDATE conversations SET status = 'resolved', resolved_at = now() WHERE id = $1`,
      [other.conversation!.id],
    );
    const reply = await ingest.ingest({
      channel: 'email',
      from: 'thread@example.com',
      providerMessageId: id(),
      text: 're',
      threadRefs: ['orig-1@mail.example.com'],
    });
    expect(reply.conversation?.id).toBe(first.conversation!.id);
    expect(reply.conversation?.status).toBe('open');
  });

  it('refuses an invalid sender address and writes nothing', async () => {
    const before = await count(`SELECT count(*) AS n FROM customers`, []);
    // Not a number and too long for a sender id (a short sender id such as BANK is stored).
    const from = 'not a phone and far too long for a sender id';
    await expect(
      ingest.ingest({ channel: 'sms', from, providerMessageId: id(), text: 'x' }),
    ).rejects.toThrow(
      /from: "not a phone and far too long for" is neither a phone number nor a sender id/,
    );
    await expect(
      ingest.ingest({
        channel: 'email',
        from: 'not an address',
        providerMessageId: id(),
        text: 'x',
      }),
    ).rejects.toThrow(/from: "not an address"/);
    expect(await count(`SELECT count(*) AS n FROM customers`, [])).toBe(before);
  });

  it('rolls back the whole ingest when the message cannot be written', async () => {
    const before = await count(`SELECT count(*) AS n FROM customers`, []);
    await expect(
      ingest.ingest({
        channel: 'email',
        from: 'atomic@example.com',
        providerMessageId: id(),
        text: 'x',
        kind: 'bogus' as never,
      }),
    ).rejects.toThrow();
    expect(await count(`SELECT count(*) AS n FROM customers`, [])).toBe(before);
    expect(
      await count(
        `SELECT count(*) AS n FROM customer_identities WHERE address = 'atomic@example.com'`,
        [],
      ),
    ).toBe(0);
  });

  it('stores attachment content and lists it on the message', async () => {
    const r = await ingest.ingest({
      channel: 'email',
      from: 'files@example.com',
      providerMessageId: id(),
      text: 'see attached',
      attachments: [
        {
          filename: '发票.pdf',
          contentType: 'application/pdf',
          size: 4,
          content: Buffer.from('%PDF'),
        },
      ],
    });
    expect(r.message.attachments).toEqual([
      expect.objectContaining({
        filename: '发票.pdf',
        size: 4,
        url: expect.stringMatching(/^\/api\/v1\/attachments\//),
      }),
    ]);
    const res = await fetch(app.url + r.message.attachments[0].url!, {
      headers: { authorization: `Bearer ${app.adminToken}` },
    });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('%PDF');
  });
});
