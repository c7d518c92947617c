import { DataSource } from 'typeorm';
import { CustomerImportsService } from '../../src/customer-imports/customer-imports.service';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

/** Small enough that a test file can go over it. */
const MAX = 64 * 1024;

let app: TestApp;
let db: DataSource;

async function postCsv(csv: string | Buffer, token = app.adminToken, type = 'text/csv') {
  const res = await fetch(`${app.url}/api/v1/customers/imports?filename=people.csv`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
    body: csv,
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function finished(id: string) {
  return eventually(async () => {
    const r = await app.api('GET', `/api/v1/customers/imports/${id}`);
    return r.body.status !== 'running' && r.body;
  }, `import ${id} to finish`);
}

beforeAll(async () => {
  app = await startTestApp({ IMPORT_MAX_BYTES: String(MAX) });
  db = app.hub.app.get(DataSource);
});
afterAll(async () => {
  await app?.close();
});

describe('POST /api/v1/customers/imports', () => {
  it('imports in the background, counting created, duplicate and rejected rows with reasons', async () => {
    const known = await app.api('POST', '/api/v1/customers', {
      displayName: 'Known',
      identities: [{ channel: 'email', address: 'known@example.com' }],
    });
    expect(known.status).toBe(201);
    const csv = [
      'Name,Email,Mobile,Timezone,marketing_email,plan',
      'Li Wei,li.wei@example.cn,+8613800000001,Asia/Shanghai,yes,gold',
      'No Address,,,,,',
      'Again,LI.WEI@example.cn,,,,', // line 4: duplicate of line 2, in the same file
      'Already,known@example.com,,,,', // line 5: duplicate of a known customer
      'Bad Zone,zone@example.com,,Mars/Base,,', // line 6
      '=cmd|calc,formula@example.com,,Nowhere/City,,', // line 7: rejected, cell kept as given
      'Wang Fang,wang.fang@example.com,,,no,silver',
    ].join('\n');
    const started = await postCsv(csv);
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'running', totalRows: 7, filename: 'people.csv' });

    const done = await finished(started.body.id);
    expect(done).toMatchObject({
      status: 'completed',
      totalRows: 7,
      processed: 7,
      created: 2,
      duplicates: 2,
      rejected: 3,
    });
    const rows = done.rejectedRows as Array<{
      line: number;
      reasons: string[];
      duplicate: boolean;
    }>;
    expect(rows.map((r) => [r.line, r.duplicate])).toEqual([
      [3, false],
      [4, true],
      [5, true],
      [6, false],
      [7, false],
    ]);
    expect(rows[0].reasons).toEqual(['email/phone/wechat: at least one is required']);
    expect(rows[1].reasons[0]).toMatch(/^duplicate: email:li\.wei@example\.cn already belongs/);
    expect(rows[2].reasons[0]).toContain(known.body.id);
    expect(rows[3].reasons).toEqual(['timezone: "Mars/Base" is not an IANA timezone']);

    // The created customer carries its attributes and the consent with the line as evidence.
    const li = await app.api('GET', '/api/v1/customers?identity=email:li.wei@example.cn');
    expect(li.body).toMatchObject({ displayName: 'Li Wei', attributes: { plan: 'gold' } });
    const consents = await app.api('GET', `/api/v1/customers/${li.body.id}/consents`);
    expect(consents.body.items).toEqual([
      expect.objectContaining({
        channel: 'email',
        purpose: 'marketing',
        status: 'granted',
        source: `csv-import:${started.body.id}`,
        evidence: { line: 2 },
      }),
    ]);

    // The rejected rows download: every one, with the file's cells, formulas escaped.
    const res = await fetch(`${app.url}/api/v1/customers/imports/${started.body.id}/rejected.csv`, {
      headers: { authorization: `Bearer ${app.adminToken}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toContain('people-rejected.csv');
    const text = (await res.text()).replace(/^\uFEFF/, '');
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe('line,reasons,name,email,phone,timezone,marketing_email,plan');
    expect(lines).toHaveLength(6);
    expect(lines[5]).toMatch(/^7,"?timezone: .*Nowhere\/City.*,'=cmd\|calc,formula@example\.com,/);
  });

  it('refuses a file over IMPORT_MAX_BYTES (413), and one that is not a usable CSV (400)', async () => {
    const big = `name,email\n${'x,y@example.com\n'.repeat(MAX / 10)}`;
    const tooBig = await postCsv(big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.message).toMatch(/IMPORT_MAX_BYTES/);

    const noHeader = await postCsv('first,second\nLi,li@example.com\n');
    expect(noHeader.status).toBe(400);
    expect(noHeader.body.message).toMatch(
      /^header: needs a name column .* and at least one of email/,
    );

    const unclosed = await postCsv('name,email\nLi,li2@example.com\n"Wang,wang@example.com\n');
    expect(unclosed.status).toBe(400);
    expect(unclosed.body.message).toMatch(/^csv: .*quote/i);

    // 张三 in GBK, as Excel on Chinese Windows saves a CSV.
    const gbk = Buffer.concat([
      Buffer.from('name,email\n'),
      Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]),
      Buffer.from(',zhang@example.com\n'),
    ]);
    const notUtf8 = await postCsv(gbk);
    expect(notUtf8.status).toBe(400);
    expect(notUtf8.body.message).toMatch(/^csv: the file is not UTF-8 text/);

    const empty = await postCsv('');
    expect(empty.status).toBe(400);
    expect(empty.body.message).toMatch(/^csv: the file is empty/);

    const json = await postCsv('{}', app.adminToken, 'application/json');
    expect(json.status).toBe(400);
    expect(json.body.message).toMatch(/^body: send the CSV file/);

    // Nothing of a refused file was imported.
    const [{ n }] = (await db.query(
      `SELECT count(*)::int AS n FROM customer_identities WHERE address IN ('li@example.com', 'li2@example.com')`,
    )) as Array<{ n: number }>;
    expect(n).toBe(0);
  });

  it('lets marketers, supervisors and admins import and follow it; agents get 403', async () => {
    const marketer = await app.userToken('marketer');
    const agent = await app.userToken('agent');
    const csv = 'name,phone\nZhao Lei,+8613900000009\n';
    expect((await postCsv(csv, agent.token)).status).toBe(403);
    const started = await postCsv(csv, marketer.token);
    expect(started.status).toBe(202);
    const seen = await app.api(
      'GET',
      `/api/v1/customers/imports/${started.body.id}`,
      undefined,
      agent.token,
    );
    expect(seen.status).toBe(403);
    const mine = await eventually(async () => {
      const r = await app.api(
        'GET',
        `/api/v1/customers/imports/${started.body.id}`,
        undefined,
        marketer.token,
      );
      return r.body.status === 'completed' && r.body;
    }, 'the marketer to see the import complete');
    expect(mine).toMatchObject({ created: 1, processed: 1 });
  });

  it('marks an import left running by a dead process as interrupted, keeping its counts', async () => {
    const [row] = (await db.query(
      `INSERT INTO customer_imports (filename, bytes, total_rows, processed, created, heartbeat_at)
       VALUES ('killed.csv', 100, 10, 4, 4, now() - interval '5 minutes') RETURNING id`,
    )) as Array<{ id: string }>;
    const r = await app.api('GET', `/api/v1/customers/imports/${row.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'interrupted', processed: 4, totalRows: 10 });
    expect(r.body.error).toMatch(/stopped/);
    expect(r.body.finishedAt).not.toBeNull();

    // On start the hub marks those nobody read since; a fresh heartbeat (another instance) stays.
    const [stale, fresh] = (await db.query(
      `INSERT INTO customer_imports (filename, bytes, total_rows, heartbeat_at)
       VALUES ('a.csv', 1, 5, now() - interval '5 minutes'), ('b.csv', 1, 5, now()) RETURNING id`,
    )) as Array<{ id: string }>;
    await app.hub.app.get(CustomerImportsService).onApplicationBootstrap();
    const statuses = (await db.query(
      `SELECT id, status FROM customer_imports WHERE id = ANY($1::uuid[])`,
      [[stale.id, fresh.id]],
    )) as Array<{ id: string; status: string }>;
    expect(Object.fromEntries(statuses.map((x) => [x.id, x.status]))).toEqual({
      [stale.id]: 'interrupted',
      [fresh.id]: 'running',
    });
  });
});
