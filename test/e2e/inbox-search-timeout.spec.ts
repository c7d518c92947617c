import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
let conversationId: string;

beforeAll(async () => {
  // A one-millisecond budget: any search that has to read the index or the table runs out.
  app = await startTestApp({ SEARCH_TIMEOUT_MS: '1' });
  const r = await app.api('POST', '/api/v1/sandbox/inbound', {
    channel: 'sms',
    from: '+8613900250001',
    text: 'the parcel never arrived',
  });
  conversationId = r.body.conversation.id as string;
  const db = app.hub.app.get(DataSource);
  // 60,000 messages for the search to wade through.
  await db.query(
    `INSERT INTO messages (customer_id, conversation_id, direction, kind, channel, status, text)
     SELECT $1, $2, 'inbound', 'message', 'sms', 'delivered', 'message number ' || g || ' about order ' || (g * 7919 % 100000)
     FROM generate_series(1, 60000) g`,
    [r.body.customerId, conversationId],
  );
  await db.query(`ANALYZE messages`);
});
afterAll(async () => {
  await app?.close();
});

describe('Search time box', () => {
  it.each([
    ['found through the trigram index', 'about order'],
    ['too short for the index, walked', 'zq'],
  ])(
    'answers 503 naming q when a search %s runs past SEARCH_TIMEOUT_MS, while other requests go on',
    async (_how, term) => {
      const [search, list, one] = await Promise.all([
        app.api('GET', `/api/v1/conversations?q=${encodeURIComponent(term)}`),
        app.api('GET', '/api/v1/conversations?status=open'),
        app.api('GET', `/api/v1/conversations/${conversationId}`),
      ]);
      expect(search.status).toBe(503);
      expect(search.body.message).toMatch(/^q: /);
      expect(list.status).toBe(200);
      expect(list.body.items.map((c: { id: string }) => c.id)).toContain(conversationId);
      expect(one.status).toBe(200);

      // The pool is not left poisoned: the next requests on every connection still work.
      const after = await Promise.all(
        Array.from({ length: 12 }, () => app.api('GET', '/api/v1/conversations?limit=5')),
      );
      expect(after.map((r) => r.status)).toEqual(Array(12).fill(200));
    },
  );
});
