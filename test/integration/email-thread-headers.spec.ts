import { startTestApp, type TestApp } from '../support/test-app';
import { DataSource } from 'typeorm';
import { EmailThreadsRepository } from '../../src/delivery/email-threads.repository';

describe(EmailThreadsRepository.name, () => {
  let app: TestApp;
  let db: DataSource;
  let threads: EmailThreadsRepository;
  beforeAll(async () => {
    app = await startTestApp();
    db = app.hub.app.get(DataSource);
    threads = app.hub.app.get(EmailThreadsRepository);
  });
  afterAll(() => app.close());

  async function conversationWith(
    rows: Array<{
      direction: string;
      id: string | null;
      autoReply?: boolean;
      synthesized?: boolean;
      kind?: string;
    }>,
  ) {
    const c = (await db.query(
      `INSERT INTO customers (display_name) VALUES ('T') RETURNING id`,
    )) as Array<{ id: string }>;
    const conv = (await db.query(
      `INSERT INTO conversations (customer_id, status) VALUES ($1, 'open') RETURNING id`,
      [c[0].id],
    )) as Array<{ id: string }>;
    for (const r of rows) {
      await db.query(
        `INSERT INTO messages (customer_id, conversation_id, direction, kind, channel, status, text, provider_message_id, auto_reply, metadata)
         VALUES ($1, $2, $3, $4, 'email', 'delivered', 't', $5, $6, $7)`,
        [
          c[0].id,
          conv[0].id,
          r.direction,
          r.kind ?? 'message',
          r.id,
          Boolean(r.autoReply),
          JSON.stringify(r.synthesized ? { messageIdSynthesized: true } : {}),
        ],
      );
    }
    return conv[0].id;
  }

  it("answers the customer's latest real email and references the thread oldest first", async () => {
    const id = await conversationWith([
      { direction: 'inbound', id: 'a@customer.example' },
      { direction: 'outbound', id: 'b@hub.example' },
      { direction: 'inbound', id: 'c@customer.example' },
      { direction: 'inbound', id: 'ooo@customer.example', autoReply: true },
      { direction: 'outbound', id: 'sandbox-email-123' },
      { direction: 'inbound', id: 'deadbeef', synthesized: true },
      { direction: 'outbound', id: null },
    ]);
    expect(await threads.headersFor(id)).toEqual({
      inReplyTo: 'c@customer.example',
      references: ['a@customer.example', 'b@hub.example', 'c@customer.example'],
    });
  });

  it('gives nothing for a conversation without email ids', async () => {
    const id = await conversationWith([{ direction: 'outbound', id: 'sandbox-email-1' }]);
    expect(await threads.headersFor(id)).toEqual({});
  });

  it('falls back to our own last email when the customer never emailed', async () => {
    const id = await conversationWith([{ direction: 'outbound', id: 'x1@hub.example' }]);
    expect(await threads.headersFor(id)).toEqual({
      inReplyTo: 'x1@hub.example',
      references: ['x1@hub.example'],
    });
  });
});
