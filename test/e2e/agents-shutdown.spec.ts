import { randomBytes } from 'crypto';
import { Client } from 'pg';
import { io, type Socket } from 'socket.io-client';
import { eventually, startTestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

/** Shutting an instance down: its agents go offline while the database is still open. */
describe('AgentsGateway on shutdown', () => {
  it('marks the agents connected here offline before the database closes, without racing it', async () => {
    const app = await startTestApp({}, { db, prefix: `ts${randomBytes(4).toString('hex')}` });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    const sockets: Socket[] = [];
    let closed = false;
    try {
      const agents = await Promise.all([
        app.userToken('agent', 'Ann Closing'),
        app.userToken('supervisor', 'Sam Closing'),
      ]);
      for (const a of agents) {
        const s = io(`${app.url}/agents`, {
          auth: { token: a.token },
          transports: ['websocket'],
          forceNew: true,
          reconnection: false,
        });
        sockets.push(s);
        await new Promise<void>((resolve, reject) => {
          s.once('connect', () => resolve());
          s.once('connect_error', reject);
        });
      }
      // Both are online once the presence list names them.
      await eventually(async () => {
        const r = await app.api<{ items: Array<{ agentId: string; status: string }> }>(
          'GET',
          '/api/v1/agents/presence',
        );
        return r.body.items.filter((p) => agents.some((a) => a.id === p.agentId)).length === 2;
      }, 'both agents online');
      const closedByServer = sockets.map(
        (s) => new Promise<string>((resolve) => s.once('disconnect', (reason) => resolve(reason))),
      );
      await app.close();
      closed = true;
      expect(await Promise.all(closedByServer)).toEqual([
        'io server disconnect',
        'io server disconnect',
      ]);
      const c = new Client({ connectionString: db.url });
      await c.connect();
      try {
        const rows = await c.query<{ status: string }>(
          `SELECT status FROM agent_presence WHERE user_id = ANY($1::uuid[])`,
          [agents.map((a) => a.id)],
        );
        expect(rows.rows.map((r) => r.status)).toEqual(['offline', 'offline']);
      } finally {
        await c.end();
      }
      expect(warnings.filter((w) => /already executing a query/.test(w))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      for (const s of sockets) s.disconnect();
      if (!closed) await app.close();
    }
  });
});
