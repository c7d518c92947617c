import { spawn } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

let db: TestDatabase;
let pg: Client;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['-r', './bench/lib/swc-register.js', 'scripts/cli.ts', ...args],
      {
        cwd: process.cwd(),
        env: {
          ...process.env,
          DATABASE_URL: db.url,
          REDIS_URL: '',
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
          JWT_SECRET: 'cli-secret-cli-secret-cli-secret',
          ADMIN_EMAIL: 'cli@test.local',
          ADMIN_PASSWORD: 'cli-password-1',
        },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  pg = new Client({ connectionString: db.url });
  await pg.connect();
});
afterAll(async () => {
  await pg?.end();
  await db?.drop();
});

describe('scripts/cli.ts', () => {
  it('imports customers from a CSV, normalized and deduplicated, reporting every rejected row with its reasons', async () => {
    const [existing] = (
      await pg.query(`INSERT INTO customers (display_name) VALUES ('Existing') RETURNING id`)
    ).rows as Array<{ id: string }>;
    await pg.query(
      `INSERT INTO customer_identities (customer_id, kind, channel, address) VALUES ($1, 'email', 'email', 'existing@example.com')`,
      [existing.id],
    );

    const r = await cli(['import', 'customers', 'test/fixtures/customers-bad.csv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('import |');
    const summary = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
      rows: number;
      imported: number;
      rejected: Array<{ line: number; reasons: string[] }>;
    };
    expect(summary.rows).toBe(9);
    expect(summary.imported).toBe(3);
    const byLine = Object.fromEntries(summary.rejected.map((x) => [x.line, x.reasons.join('; ')]));
    expect(
      Object.keys(byLine)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual([4, 5, 6, 8, 9, 10]);
    expect(byLine[4]).toContain('phone: "12345" is not a valid phone number');
    expect(byLine[5]).toContain('name: missing');
    expect(byLine[6]).toContain('duplicate: email:ann@example.com already belongs to customer');
    expect(byLine[8]).toContain('at least one is required');
    expect(byLine[9]).toContain('timezone: "Mars/Olympus"');
    expect(byLine[10]).toContain(`already belongs to customer ${existing.id}`);
    expect(r.stdout).toContain('line 4: phone');

    const li = (
      await pg.query(
        `SELECT c.id, c.timezone, c.tags, c.attributes, array_agg(i.address ORDER BY i.address) AS addresses FROM customers c JOIN customer_identities i ON i.customer_id = c.id
       WHERE c.display_name = 'Li Wei' GROUP BY c.id`,
      )
    ).rows[0] as {
      id: string;
      timezone: string;
      tags: string[];
      attributes: Record<string, unknown>;
      addresses: string[];
    };
    expect(li.addresses).toEqual(['+8613800138000', 'li.wei@example.com']);
    expect(li.timezone).toBe('Asia/Shanghai');
    expect(li.tags).toEqual(['vip', 'beta']);
    expect(li.attributes).toEqual({ plan: 'pro', spend: 250 });
    const consents = (
      await pg.query(
        `SELECT channel, status, source FROM consents WHERE customer_id = $1 ORDER BY channel`,
        [li.id],
      )
    ).rows;
    expect(consents).toEqual([
      { channel: 'email', status: 'granted', source: 'csv-import:test/fixtures/customers-bad.csv' },
      { channel: 'sms', status: 'granted', source: 'csv-import:test/fixtures/customers-bad.csv' },
    ]);
    expect(
      (await pg.query(`SELECT 1 FROM customer_identities WHERE address = 'ann@example.com'`))
        .rowCount,
    ).toBe(1);

    // Importing the same file again adds nobody: every valid row is now a duplicate.
    const again = await cli(['import', 'customers', 'test/fixtures/customers-bad.csv']);
    expect(JSON.parse(again.stdout.trim().split('\n').pop()!).imported).toBe(0);
  });

  it('reads the columns under other usual names, and refuses a header it cannot use before reading a row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-import-'));
    const spelled = join(dir, 'spelled.csv');
    writeFileSync(
      spelled,
      'Display Name,E-mail,Mobile,Time zone,Loyalty Tier\nZhang San,zhang.san@example.com,+86 139 0000 1111,Asia/Shanghai,gold\n',
    );
    const r = await cli(['import', 'customers', spelled]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual({
      rows: 1,
      imported: 1,
      rejected: [],
    });
    const zhang = (
      await pg.query(
        `SELECT c.timezone, c.attributes, array_agg(i.address ORDER BY i.address) AS addresses FROM customers c JOIN customer_identities i ON i.customer_id = c.id
       WHERE c.display_name = 'Zhang San' GROUP BY c.id`,
      )
    ).rows;
    expect(zhang).toEqual([
      {
        timezone: 'Asia/Shanghai',
        attributes: { loyalty_tier: 'gold' },
        addresses: ['+8613900001111', 'zhang.san@example.com'],
      },
    ]);

    const unusable = join(dir, 'unusable.csv');
    writeFileSync(unusable, 'first,last\nAnn,Lee\n');
    const refused = await cli(['import', 'customers', unusable]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'header: needs a name column (name or displayName) and at least one of email, phone, wechat; it has "first", "last"',
    );
  });

  it('launches a campaign and follows it live to completion', async () => {
    const [c] = (
      await pg.query(
        `INSERT INTO campaigns (name, segment, topic, purpose, urgency, template, data, batch_size)
       VALUES ('CLI launch', '{"tags":["vip"]}', 'promo', 'service', 'normal', 'welcome', $1, 1) RETURNING id`,
        [JSON.stringify({ offer: { percent: 5, code: 'CLI', until: '2030-01-01T00:00:00Z' } })],
      )
    ).rows as Array<{ id: string }>;
    const r = await cli(['campaign', 'launch', c.id]);
    expect(r.stderr).toContain('CLI launch |');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`campaign ${c.id} completed: 2 recipients, 2 sent, 0 suppressed`);
    const again = await cli(['campaign', 'launch', c.id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('status: campaign');
  });

  it('prints its usage for an unknown command', async () => {
    const r = await cli(['frobnicate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('usage: npm run cli --');
  });
});
