import { DataSource } from 'typeorm';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

/**
 * WhatsApp without Twilio credentials: the sandbox transport, like every other channel. A
 * customer writing on it (POST /api/v1/sandbox/inbound) gets SMS's keyword handling on WhatsApp
 * consent, and the answer leaves on WhatsApp.
 */

let app: TestApp;
let db: DataSource;
let seq = 0;
const phone = () => `+86139002${String(61000 + ++seq).padStart(5, '0')}`;

const waIn = (from: string, text: string) =>
  app.api('POST', '/api/v1/sandbox/inbound', { channel: 'whatsapp', from, text });

async function outboxTo(address: string): Promise<Array<{ text: string; channel: string }>> {
  const r = await app.api(
    'GET',
    `/api/v1/sandbox/outbox?channel=whatsapp&to=${encodeURIComponent(address)}`,
  );
  expect(r.status).toBe(200);
  return r.body.items;
}

beforeAll(async () => {
  app = await startTestApp({});
  db = app.hub.app.get(DataSource);
});
afterAll(async () => {
  await app?.close();
});

describe('WhatsApp on the sandbox transport', () => {
  it('退订 on WhatsApp revokes every WhatsApp purpose and confirms on WhatsApp, in Chinese', async () => {
    const from = phone();
    const r = await waIn(from, '退订');
    expect(r.status).toBe(201);
    expect(r.body.channel).toBe('whatsapp');
    const customerId = r.body.customerId as string;
    const rows = (await db.query(
      `SELECT channel, purpose, status FROM consents WHERE customer_id = $1 ORDER BY seq`,
      [customerId],
    )) as Array<{ channel: string; purpose: string; status: string }>;
    expect(rows.map((c) => [c.channel, c.status])).toEqual([
      ['whatsapp', 'revoked'],
      ['whatsapp', 'revoked'],
      ['whatsapp', 'revoked'],
    ]);
    const sent = await eventually(async () => {
      const items = await outboxTo(from);
      return items.length ? items : null;
    }, 'the confirmation');
    expect(sent[0]).toMatchObject({
      channel: 'whatsapp',
      text: expect.stringMatching(/^您已退订/),
    });
  });

  it('answers an agent reply on WhatsApp inside the window through the sandbox', async () => {
    const from = phone();
    const r = await waIn(from, 'hello from WhatsApp');
    const reply = await app.api(
      'POST',
      `/api/v1/conversations/${r.body.conversationId as string}/replies`,
      { text: 'Hi! How can we help?' },
    );
    expect([reply.status, reply.body.route?.channel]).toEqual([202, 'whatsapp']);
    const sent = await eventually(async () => {
      const items = await outboxTo(from);
      return items.length ? items : null;
    }, 'the reply in the sandbox outbox');
    expect(sent[0]).toMatchObject({ channel: 'whatsapp', text: 'Hi! How can we help?' });
  });
});
