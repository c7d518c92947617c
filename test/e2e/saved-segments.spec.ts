import { startTestApp, type TestApp } from '../support/test-app';

/** Saved segments (issue 19): named contact filters a marketer reuses in campaigns. */
let app: TestApp;
let marketer: string;
let agent: string;

beforeAll(async () => {
  app = await startTestApp();
  marketer = (await app.userToken('marketer')).token;
  agent = (await app.userToken('agent')).token;
});
afterAll(() => app.close());

const vip = { tags: ['vip'], tier: ['core', 'potential'], rfm: { churnRisk: true } };

describe('Saved segments', () => {
  it('saves, lists, reads, renames, changes and deletes a segment', async () => {
    const created = await app.api(
      'POST',
      '/api/v1/segments',
      { name: 'VIP 流失风险', definition: vip },
      marketer,
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'VIP 流失风险', definition: vip });
    const id = created.body.id as string;

    const list = await app.api('GET', '/api/v1/segments', undefined, marketer);
    expect(list.body.items.map((s: { id: string }) => s.id)).toContain(id);
    expect(
      (await app.api('GET', `/api/v1/segments/${id}`, undefined, marketer)).body.definition,
    ).toEqual(vip);

    const renamed = await app.api(
      'PATCH',
      `/api/v1/segments/${id}`,
      { name: 'VIP at risk' },
      marketer,
    );
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'VIP at risk', definition: vip });
    const changed = await app.api(
      'PATCH',
      `/api/v1/segments/${id}`,
      { definition: { tags: ['gold'] } },
      marketer,
    );
    expect(changed.body).toMatchObject({ name: 'VIP at risk', definition: { tags: ['gold'] } });

    expect((await app.api('DELETE', `/api/v1/segments/${id}`, undefined, marketer)).status).toBe(
      204,
    );
    expect((await app.api('GET', `/api/v1/segments/${id}`, undefined, marketer)).status).toBe(404);
    expect((await app.api('DELETE', `/api/v1/segments/${id}`, undefined, marketer)).status).toBe(
      404,
    );
  });

  it('refuses a second segment of the same name, whatever its case', async () => {
    expect(
      (await app.api('POST', '/api/v1/segments', { name: 'Gold buyers', definition: {} }, marketer))
        .status,
    ).toBe(201);
    const again = await app.api(
      'POST',
      '/api/v1/segments',
      { name: 'GOLD BUYERS', definition: {} },
      marketer,
    );
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/^name: .*already exists/);
    const other = await app.api(
      'POST',
      '/api/v1/segments',
      { name: 'Silver', definition: {} },
      marketer,
    );
    const clash = await app.api(
      'PATCH',
      `/api/v1/segments/${other.body.id}`,
      { name: 'gold buyers' },
      marketer,
    );
    expect(clash.status).toBe(409);
  });

  it.each([
    [{ name: '', definition: {} }, /name/],
    [{ name: 'x', definition: { tier: 'diamond' } }, /tier/],
    [
      { name: 'x', definition: { attributes: { city: {} } } },
      /predicate needs at least one operator/,
    ],
    [{ name: 'x', definition: { colour: 'red' } }, /colour|unrecognized/i],
    [{ name: 'x' }, /definition/],
  ])('answers 400 naming the problem for %j', async (body, message) => {
    const r = await app.api('POST', '/api/v1/segments', body, marketer);
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toMatch(message);
  });

  it('is for marketers, supervisors and admins, not agents', async () => {
    expect((await app.api('GET', '/api/v1/segments', undefined, agent)).status).toBe(403);
    expect(
      (await app.api('POST', '/api/v1/segments', { name: 'a', definition: {} }, agent)).status,
    ).toBe(403);
  });
});
