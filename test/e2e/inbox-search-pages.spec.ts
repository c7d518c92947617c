import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
let seq = 0;
const phone = () => `+861390077${String(++seq).padStart(4, '0')}`;

async function conversation(text: string): Promise<string> {
  const r = await app.api('POST', '/api/v1/sandbox/inbound', {
    channel: 'sms',
    from: phone(),
    text,
  });
  expect(r.status).toBeLessThan(300);
  return r.body.conversation.id as string;
}

/** Every page of a search, `limit` at a time, following nextCursor. */
async function allPages(query: string, limit: number, token?: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const r = await app.api(
      'GET',
      `/api/v1/conversations?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      undefined,
      token,
    );
    expect(r.status).toBe(200);
    ids.push(...r.body.items.map((c: { id: string }) => c.id));
    cursor = r.body.nextCursor as string | null;
  } while (cursor);
  return ids;
}

const old: string[] = [];
const recent: string[] = [];
let decoy: string;
let listOrder: string[];
/** The list's own order (newest first) of these conversations. */
const inListOrder = (ids: string[]) => listOrder.filter((id) => ids.includes(id));

beforeAll(async () => {
  app = await startTestApp();
  // Three old matches, then more non-matching conversations than the walk down the list reads
  // for so few matches (it stops and looks the older ones up instead), then two recent matches.
  old.push(await conversation('Hello, I was charged twice for order 1'));
  old.push(await conversation('my card was CHARGED TWICE yesterday'));
  decoy = await conversation('you charged me, and twice the price');
  old.push(await conversation('Charged twice again! 退款 please'));
  for (let i = 0; i < 60; i++) await conversation(`where is parcel number ${i}`);
  recent.push(await conversation('why was I charged twice?'));
  recent.push(await conversation('请帮我退款，我被扣了两次款 (charged twice)'));
  listOrder = await allPages('', 100);
  expect(listOrder).toHaveLength(66);
});
afterAll(async () => {
  await app?.close();
});

describe('Inbox search pages', () => {
  it('finds the conversations holding the whole term, in list order, across keyset pages', async () => {
    const expected = inListOrder([...recent, ...old]);
    expect(expected.slice(0, 2).sort()).toEqual([...recent].sort());
    for (const limit of [1, 2, 3, 10])
      expect(await allPages(`q=${encodeURIComponent('Charged TWICE')}`, limit)).toEqual(expected);
    expect(await allPages(`q=charged`, 2)).toEqual(inListOrder([...recent, ...old, decoy]));
    // Short words: the 2-character one walks the list, the longer Chinese term uses the index.
    expect(await allPages(`q=${encodeURIComponent('退款')}`, 1)).toEqual(
      inListOrder([recent[1]!, old[2]!]),
    );
    expect(await allPages(`q=${encodeURIComponent('扣了两次款')}`, 1)).toEqual([recent[1]]);
    expect(await allPages(`q=${encodeURIComponent('twice the')}`, 2)).toEqual([decoy]);
  });

  it('applies the list filters and the agent scope to a search, whichever way a page is found', async () => {
    // Set in the table: resolving through the API also sends a survey, which moves it up the list.
    const db = app.hub.app.get(DataSource);
    await db.query(`UPDATE conversations SET status = 'resolved' WHERE id = $1`, [old[1]]);
    const term = `q=${encodeURIComponent('charged twice')}`;
    expect(await allPages(`${term}&status=open`, 2)).toEqual(
      inListOrder([...recent, old[0]!, old[2]!]),
    );

    const team = await app.api('POST', '/api/v1/teams', { name: 'search-other-team' });
    expect(team.status).toBe(201);
    await db.query(`UPDATE conversations SET team_id = $1, assignee_id = NULL WHERE id = ANY($2)`, [
      team.body.id,
      [recent[0], old[0]],
    ]);
    const agent = await app.userToken('agent');
    expect(await allPages(term, 1, agent.token)).toEqual(
      inListOrder([recent[1]!, old[1]!, old[2]!]),
    );
    expect(await allPages(term, 1)).toEqual(inListOrder([...recent, ...old]));
  });
});
