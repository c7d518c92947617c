/**
 * The floor of a send on these substrates: what any POST-to-delivered pipeline pays before it
 * does anything of its own. Plain node:http (no framework, no auth, no validation, no routing,
 * no template), one INSERT per batch of concurrent requests, one BullMQ job per batch, one
 * UPDATE per batch when the worker takes it; each request answered once its row is committed
 * and its job added, as POST /api/v1/messages is. Batching as generous as the hub's own.
 */
import http from 'http';
import type { AddressInfo } from 'net';
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { Pool } from 'pg';
import { Coalescer } from '../../src/common/coalescer';
import { prepareLoad } from './http-load';

export async function sendFloor(opts: {
  databaseUrl: string;
  connection: ConnectionOptions;
  prefix: string;
  messages: number;
  /** Requests answered and delivered before the measured ones. */
  warmup: number;
  inFlight: number;
}): Promise<{ perSec: number; rowsPerJob: number }> {
  const pool = new Pool({ connectionString: opts.databaseUrl, max: 10 });
  await pool.query(`CREATE TABLE floor_messages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(), customer_id uuid NOT NULL, text text NOT NULL,
    status text NOT NULL DEFAULT 'queued', created_at timestamptz NOT NULL DEFAULT now())`);
  const queue = new Queue('floor', { connection: opts.connection, prefix: opts.prefix });
  const inserts = new Coalescer(async (rows: Array<{ customerId: string; text: string }>) => {
    const res = await pool.query<{ id: string }>(
      `INSERT INTO floor_messages (customer_id, text)
       SELECT * FROM unnest($1::uuid[], $2::text[]) RETURNING id`,
      [rows.map((r) => r.customerId), rows.map((r) => r.text)],
    );
    return res.rows.map((r) => r.id);
  });
  let jobs = 0;
  const adds = new Coalescer(async (ids: string[]) => {
    jobs++;
    await queue.add('batch', { ids }, { removeOnComplete: true });
    return ids.map(() => undefined);
  });
  let delivered = 0;
  let expected = 0;
  let finished = () => undefined as void;
  const worker = new Worker(
    'floor',
    async (job) => {
      const ids = (job.data as { ids: string[] }).ids;
      await pool.query(`UPDATE floor_messages SET status = 'sent' WHERE id = ANY($1::uuid[])`, [
        ids,
      ]);
      delivered += ids.length;
      if (delivered === expected) finished();
    },
    { connection: opts.connection, prefix: opts.prefix, concurrency: 16 },
  );
  await worker.waitUntilReady();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        customerId: string;
        text: string;
      };
      void inserts
        .submit(body)
        .then(async (id) => {
          await adds.submit(id);
          res.writeHead(202, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ messageId: id, status: 'queued' }));
        })
        .catch((e: Error) => {
          res.writeHead(500);
          res.end(e.message);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const customerId = '00000000-0000-4000-8000-000000000001';
  const posts = (count: number) =>
    prepareLoad({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      path: '/messages',
      inFlight: opts.inFlight,
      expect: 202,
      bodies: Array.from({ length: count }, (_, i) => ({ customerId, text: `floor ${i}` })),
    });
  /** Posts `count` requests and resolves once all of them are delivered. */
  const deliver = async (count: number) => {
    const load = await posts(count);
    expected += count;
    const all = new Promise<void>((resolve) => (finished = resolve));
    const start = process.hrtime.bigint();
    await load.run();
    await all;
    return count / (Number(process.hrtime.bigint() - start) / 1e9);
  };
  try {
    if (opts.warmup > 0) await deliver(opts.warmup);
    jobs = 0;
    const perSec = await deliver(opts.messages);
    return { perSec, rowsPerJob: opts.messages / jobs };
  } finally {
    server.close();
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    await pool.end();
  }
}
