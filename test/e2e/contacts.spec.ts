import { seedContacts, type ContactsSeed } from '../support/contacts-seed';
import { startTestApp, type TestApp } from '../support/test-app';

/** The marketers' contacts list (issue 19): segment filters, search, pages, CSV, at-risk lists. */
let app: TestApp;
let marketer: string;
let seed: ContactsSeed;

beforeAll(async () => {
  app = await startTestApp();
  marketer = (await app.userToken('marketer')).token;
  seed = await seedContacts(app);
});
afterAll(() => app.close());

const path = (segment: object | string | null, extra = '') => {
  const s = segment === null ? '' : typeof segment === 'string' ? segment : JSON.stringify(segment);
  return `/api/v1/contacts?segment=${encodeURIComponent(s)}${extra}`;
};

async function names(segment: object, extra = ''): Promise<string[]> {
  const res = await app.api('GET', path(segment, `&limit=200${extra}`), undefined, marketer);
  expect(res.status).toBe(200);
  return (res.body.items as Array<{ name: string }>).map((r) => r.name).sort();
}

describe('GET /api/v1/contacts', () => {
  it.each<[string, object, string[]]>([
    ['tags', { tags: ['vip'] }, ['Ann Archer', 'Bob Baker']],
    ['two tags', { tags: ['vip', 'beta'] }, ['Bob Baker']],
    ['RFM tier', { tier: 'core' }, ['Ann Archer', 'Bob Baker']],
    ['own tier when not scored', { tier: ['regular', 'edge'] }, ['Dan Dong', '陈静']],
    ['attribute', { attributes: { plan: { eq: 'pro' } } }, ['Ann Archer']],
    ['attribute exists', { attributes: { plan: { exists: true } } }, ['Ann Archer', 'Bob Baker']],
    [
      'consent granted',
      { consent: [{ channel: 'email', purpose: 'marketing', status: 'granted' }] },
      ['Ann Archer'],
    ],
    [
      'consent revoked (the latest entry)',
      { consent: [{ channel: 'email', purpose: 'marketing', status: 'revoked' }] },
      ['Bob Baker'],
    ],
    [
      'consent none',
      { tags: ['beta'], consent: [{ channel: 'email', purpose: 'marketing', status: 'none' }] },
      ['Dan Dong'],
    ],
    [
      'consent on another channel',
      { consent: [{ channel: 'sms', purpose: 'marketing', status: 'granted' }] },
      ['Dan Dong'],
    ],
    ['last contact after', { lastContactAfter: '2026-10-01T00:00:00Z' }, ['Ann Archer']],
    ['last contact before', { lastContactBefore: '2026-10-01T00:00:00Z' }, ['Bob Baker']],
    ['churn risk', { rfm: { churnRisk: true } }, ['Ann Archer', '陈静']],
    ['tier and churn risk', { tier: 'core', rfm: { churnRisk: true } }, ['Ann Archer']],
  ])('selects exactly the right customers: %s', async (_name, segment, expected) => {
    expect(await names(segment)).toEqual(expected);
  });

  it('shows each row with identities, tags, tier, churn risk, marketing consent, last contact', async () => {
    const res = await app.api('GET', path({ tags: ['vip'] }), undefined, marketer);
    expect(res.body.total).toBe(2);
    expect(res.body.totalCapped).toBe(false);
    const ann = res.body.items.find((r: { id: string }) => r.id === seed.ids.ann);
    expect(ann).toEqual({
      id: seed.ids.ann,
      name: 'Ann Archer',
      identities: [
        { kind: 'email', address: 'ann@example.com' },
        { kind: 'phone', address: '+8613900001001' },
      ],
      tags: ['vip'],
      tier: 'core',
      churnRisk: true,
      marketingConsent: {
        email: 'granted',
        sms: 'none',
        voice: 'none',
        wechat: 'revoked',
        livechat: 'none',
        whatsapp: 'none',
      },
      lastContactAt: '2026-11-01T00:00:00.000Z',
    });
    expect(res.body.items.map((r: { id: string }) => r.id)).not.toContain(seed.ids.eve);
  });

  it('finds by part of a name, e-mail, WeChat id or phone number, within the segment', async () => {
    expect(await names({}, '&q=ann%40exam')).toEqual(['Ann Archer']);
    expect(await names({}, '&q=1004')).toEqual(['Dan Dong']);
    expect(await names({}, `&q=${encodeURIComponent('陈静')}`)).toEqual(['陈静']);
    expect(await names({}, '&q=wx_chen')).toEqual(['陈静']);
    expect(await names({}, '&q=baker')).toEqual(['Bob Baker']);
    expect(await names({ tags: ['beta'] }, '&q=ann')).toEqual([]);
    const counted = await app.api('GET', path({}, '&q=bulk'), undefined, marketer);
    expect(counted.body.total).toBe(25);
  });

  it('pages through every customer once, by cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: any } = await app.api(
        'GET',
        path({ tags: ['bulk'] }, `&limit=7${cursor ? `&cursor=${cursor}` : ''}`),
        undefined,
        marketer,
      );
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(25);
      seen.push(...res.body.items.map((r: { id: string }) => r.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(4);
    expect(new Set(seen).size).toBe(25);
    expect([...seen].sort()).toEqual([...seed.bulk].sort());
    // By id, descending: ids are time-ordered UUIDs, so newest first to the millisecond (two
    // customers made in the same millisecond keep the order of their random bits).
    expect(seen).toEqual([...seed.bulk].sort().reverse());
  });

  it('answers a bad filter with 400 naming the field', async () => {
    const bad = async (p: string, field: RegExp) => {
      const res = await app.api('GET', p, undefined, marketer);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(field);
    };
    await bad(path({ tier: 'gold' }), /^segment\.tier: /);
    await bad(path('{"tags":'), /^segment: not JSON/);
    await bad(
      path({ consent: [{ channel: 'fax', purpose: 'marketing', status: 'granted' }] }),
      /^segment\.consent\.0\.channel: /,
    );
    await bad(
      path({ consent: [{ channel: 'email', purpose: 'marketing', status: 'maybe' }] }),
      /^segment\.consent\.0\.status: /,
    );
    await bad(path({ colour: 'red' }), /^segment: .*colour/);
    await bad(path({}, '&limit=0'), /^limit: /);
    await bad(path({}, '&cursor=nope'), /^cursor: /);
    await bad(
      '/api/v1/contacts.csv?segment=%7B%22rfm%22%3A%7B%22minR%22%3A9%7D%7D',
      /^segment\.rfm\.minR: /,
    );
    await bad('/api/v1/contacts/at-risk?tier=gold', /^tier: /);
  });

  it('is for marketing roles, not agents', async () => {
    const agent = (await app.userToken('agent')).token;
    expect((await app.api('GET', '/api/v1/contacts', undefined, agent)).status).toBe(403);
    expect((await app.api('GET', '/api/v1/contacts.csv', undefined, agent)).status).toBe(403);
    for (const role of ['supervisor', 'admin'] as const) {
      const token = (await app.userToken(role)).token;
      expect((await app.api('GET', '/api/v1/contacts', undefined, token)).status).toBe(200);
    }
  });

  it('lets campaigns count a segment on consent', async () => {
    const res = await app.api(
      'POST',
      '/api/v1/campaigns/segments/preview',
      { segment: { consent: [{ channel: 'email', purpose: 'marketing', status: 'revoked' }] } },
      marketer,
    );
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(1);
  });
});

describe('GET /api/v1/contacts.csv', () => {
  it('streams the filtered customers with formula cells escaped', async () => {
    const res = await fetch(
      `${app.url}/api/v1/contacts.csv?segment=${encodeURIComponent('{"tags":["csv"]}')}`,
      { headers: { authorization: `Bearer ${marketer}` } },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="contacts-/);
    // Streamed: no length known in advance.
    expect(res.headers.get('content-length')).toBeNull();
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(
      'id,name,email,phone,wechat,tags,tier,churn_risk,marketing_consent_email,marketing_consent_sms,marketing_consent_voice,marketing_consent_wechat,marketing_consent_livechat,marketing_consent_whatsapp,last_contact_at',
    );
    expect(lines).toHaveLength(2 + seed.csv.length);
    expect(lines[lines.length - 1]).toBe('');
    const nameCells = lines.slice(1, -1).map((l) => l.split(',')[1]);
    expect(nameCells.sort()).toEqual(["'+1", "'-2", "'=cmd|' /C calc'!A0", "'@SUM(A1:A9)"].sort());
    // No cell of the file starts a formula.
    for (const line of lines.slice(1, -1))
      for (const cell of line.split(',')) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('exports what a search within a segment selects', async () => {
    const res = await fetch(
      `${app.url}/api/v1/contacts.csv?segment=${encodeURIComponent('{"tags":["vip"]}')}&q=ann`,
      { headers: { authorization: `Bearer ${marketer}` } },
    );
    const lines = (await res.text()).split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(
      `${seed.ids.ann},Ann Archer,ann@example.com,'+8613900001001,,vip,core,true,granted,none,none,revoked,none,none,2026-11-01T00:00:00.000Z`,
    );
  });
});

describe('GET /api/v1/contacts/at-risk', () => {
  it('lists a tier’s at-risk customers with the channel routing picks now', async () => {
    const core = await app.api('GET', '/api/v1/contacts/at-risk?tier=core', undefined, marketer);
    expect(core.status).toBe(200);
    expect(core.body.items).toHaveLength(1);
    expect(core.body.items[0]).toMatchObject({
      id: seed.ids.ann,
      name: 'Ann Archer',
      tier: 'core',
      suggestion: { ok: true, channel: 'email', address: 'ann@example.com' },
    });
    const edge = await app.api('GET', '/api/v1/contacts/at-risk?tier=edge', undefined, marketer);
    expect(edge.body.items).toHaveLength(1);
    expect(edge.body.items[0]).toMatchObject({
      id: seed.ids.cai,
      tier: 'edge',
      suggestion: { ok: false },
    });
    const all = await app.api('GET', '/api/v1/contacts/at-risk?limit=1', undefined, marketer);
    expect(all.body.items).toHaveLength(1);
    const next = await app.api(
      'GET',
      `/api/v1/contacts/at-risk?limit=1&cursor=${all.body.nextCursor}`,
      undefined,
      marketer,
    );
    expect(next.body.nextCursor).toBeNull();
    expect([all.body.items[0].id, next.body.items[0].id].sort()).toEqual(
      [seed.ids.ann, seed.ids.cai].sort(),
    );
  });
});
