import { startTestApp, type TestApp } from '../support/test-app';

/** Input meant to break the server gets 400 naming what is wrong, never a 500. */
describe('Hostile input', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const cursorOf = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

  it('refuses a NUL character in any text of a JSON body, naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ displayName: 'Eve\u0000' }, 'displayName'],
      [
        { displayName: 'Eve', identities: [{ channel: 'wechat', address: 'wx\u0000id' }] },
        'identities.0.address',
      ],
      [{ displayName: 'Eve', attributes: { 'k\u0000': 'v' } }, 'attributes.k\\u0000'],
      [{ displayName: 'Eve', tags: ['ok', 'b\u0000d'] }, 'tags.1'],
    ];
    for (const [body, field] of cases) {
      const r = await app.api('POST', '/api/v1/customers', body);
      expect({ field, status: r.status }).toEqual({ field, status: 400 });
      expect(r.body.message).toBe(`${field}: contains a NUL character (\\u0000)`);
    }
  });

  it('refuses JSON nested past 32 levels, naming the depth, and takes 32', async () => {
    const nest = (levels: number) => {
      let v: unknown = 'x';
      for (let i = 0; i < levels - 1; i++) v = { a: v };
      return v;
    };
    const deep = await app.api('POST', '/api/v1/customers', {
      displayName: 'Deep',
      attributes: nest(40),
    });
    expect(deep.status).toBe(400);
    expect(deep.body.message).toBe('body: JSON nested deeper than 32 levels');
    // 100,000 open brackets: refused before parsing, not a stack overflow.
    const brackets = await app.api('POST', '/api/v1/customers', '['.repeat(100_000));
    expect(brackets.status).toBe(400);
    expect(brackets.body.message).toMatch(/nested deeper than 32/);
    const ok = await app.api('POST', '/api/v1/customers', {
      displayName: 'Deep enough',
      attributes: nest(31),
    });
    expect(ok.status).toBe(201);
  });

  it('refuses inbox cursors that decode to nonsense', async () => {
    const id = '0190b7a2-0000-7000-8000-000000000000';
    for (const cursor of [
      'not-base64-at-all!!',
      cursorOf(`2026-01-01T00:00:00.000Z|${'-'.repeat(36)}`),
      cursorOf(`1 1|${id}`),
      cursorOf(`+275760-09-13T00:00:00.000Z|${id}`),
      cursorOf(`0000-01-01T00:00:00.000Z|${id}`),
      cursorOf(`2026-02-30T00:00:00.000Z|${id}`),
      cursorOf(`2026-01-01T00:00:00.000Z|${id}|extra`),
      cursorOf('\u0000|\u0000'),
    ]) {
      const r = await app.api('GET', `/api/v1/conversations?cursor=${encodeURIComponent(cursor)}`);
      expect({ cursor, status: r.status }).toEqual({ cursor, status: 400 });
      expect(r.body.message).toBe('cursor: not a cursor this API returned');
    }
    const good = cursorOf(`2026-01-01T00:00:00.000Z|${id}`);
    expect((await app.api('GET', `/api/v1/conversations?cursor=${good}`)).status).toBe(200);
  });

  it('refuses timeline cursors past the range of a position', async () => {
    const c = await app.api('POST', '/api/v1/customers', { displayName: 'Timeline' });
    for (const before of [cursorOf('s:9999999999999999999'), cursorOf('s:-1'), 'zzz']) {
      const r = await app.api('GET', `/api/v1/customers/${c.body.id}/timeline?before=${before}`);
      expect({ before, status: r.status }).toEqual({ before, status: 400 });
      expect(r.body.message).toBe('before: not a cursor this API returned');
    }
    const max = cursorOf('s:9223372036854775807');
    expect(
      (await app.api('GET', `/api/v1/customers/${c.body.id}/timeline?before=${max}`)).status,
    ).toBe(200);
  });

  it('refuses time zones that are not IANA zones for teams and customers', async () => {
    for (const timezone of ['Mars/Olympus', '+08:00', 'UTC+8', '', 'Asia/Shanghai\u0001']) {
      const team = await app.api('POST', '/api/v1/teams', { name: `T ${timezone}`, timezone });
      expect({ timezone, status: team.status }).toEqual({ timezone, status: 400 });
      expect(team.body.message).toMatch(/^timezone: must be an IANA time zone/);
      const customer = await app.api('POST', '/api/v1/customers', {
        displayName: 'Zoned',
        timezone,
      });
      expect({ timezone, status: customer.status }).toEqual({ timezone, status: 400 });
      expect(customer.body.message).toMatch(/^timezone: must be an IANA time zone/);
    }
    const ok = await app.api('POST', '/api/v1/teams', {
      name: `Shanghai ${Date.now()}`,
      timezone: 'Asia/Shanghai',
    });
    expect(ok.status).toBe(201);
  });

  it('answers text the database cannot store in a query string with 400, not 500', async () => {
    const r = await app.api('GET', `/api/v1/conversations?q=${encodeURIComponent('a\u0000b')}`);
    expect(r.status).toBe(400);
  });
});
