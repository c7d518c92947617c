/**
 * bench:inbox's agents, in a worker thread beside the hub (see http-load.ts): each client, with
 * its own agent's token, repeats what the web app's inbox does in a session (web/src/components/
 * Inbox.tsx): the open list (its default filter), sometimes the next page by the cursor it was
 * given or a channel filter, a search typed into the box (with the status filter kept, or on
 * "all"), then opening a conversation from what it saw. Latencies are timed per request on this
 * thread and sent back by kind. Between requests a client pauses as a person would (uniformly
 * up to twice thinkMs), so the figures are latencies at that load rather than queueing behind 50
 * clients that never stop.
 */
import { Pool } from 'undici';
import { parentPort, workerData } from 'worker_threads';

export interface InboxLoadSpec {
  baseUrl: string;
  tokens: string[];
  sessions: number;
  terms: string[];
  channels: string[];
  thinkMs: number;
}

export type Kind = 'list' | 'listNext' | 'listChannel' | 'search' | 'timeline';
export type InboxLoadResult =
  | {
      ok: true;
      ms: Record<Kind, number[]>;
      /** Searches the hub gave up on (503 at its statement timeout), timed like the others. */
      searchTimeouts: string[];
      requests: number;
      seconds: number;
    }
  | { ok: false; error: string };

interface Page {
  items: Array<{ id: string }>;
  nextCursor?: string | null;
}

const spec = workerData as InboxLoadSpec;
const pool = new Pool(spec.baseUrl, { connections: spec.tokens.length });
const ms: Record<Kind, number[]> = {
  list: [],
  listNext: [],
  listChannel: [],
  search: [],
  timeline: [],
};
const searchTimeouts: string[] = [];
let requests = 0;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)];

/** The web app's query(): only the parameters set, in URLSearchParams' encoding. */
function query(params: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

const think = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * spec.thinkMs));

async function get<T>(token: string, kind: Kind, path: string): Promise<T> {
  await think();
  const start = process.hrtime.bigint();
  const r = await pool.request({
    method: 'GET',
    path,
    headers: { accept: 'application/json', authorization: `Bearer ${token}` },
  });
  const text = await r.body.text();
  ms[kind].push(Number(process.hrtime.bigint() - start) / 1e6);
  requests++;
  if (kind === 'search' && r.statusCode === 503) {
    searchTimeouts.push(decodeURIComponent(path));
    return { items: [] } as T;
  }
  if (r.statusCode !== 200) throw new Error(`GET ${path}: ${r.statusCode} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

async function session(token: string): Promise<void> {
  const list = (params: Record<string, string | null>) =>
    `/api/v1/conversations${query({ status: 'open', assignee: null, channel: null, q: null, cursor: null, ...params })}`;
  const first = await get<Page>(token, 'list', list({}));
  let seen = first.items;
  if (first.nextCursor && Math.random() < 0.3) {
    const next = await get<Page>(token, 'listNext', list({ cursor: first.nextCursor }));
    seen = seen.concat(next.items);
  }
  if (Math.random() < 0.3)
    await get<Page>(token, 'listChannel', list({ channel: pick(spec.channels) }));
  const found = await get<Page>(
    token,
    'search',
    list({ q: pick(spec.terms), status: Math.random() < 0.5 ? 'open' : null }),
  );
  const open = found.items.length > 0 && Math.random() < 0.5 ? found.items : seen;
  if (open.length > 0)
    await get(token, 'timeline', `/api/v1/conversations/${encodeURIComponent(pick(open).id)}`);
}

async function run(): Promise<InboxLoadResult> {
  const start = process.hrtime.bigint();
  await Promise.all(
    spec.tokens.map(async (token) => {
      for (let i = 0; i < spec.sessions; i++) await session(token);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await pool.close();
  return { ok: true, ms, searchTimeouts, requests, seconds };
}

parentPort!.once('message', () => {
  run().then(
    (result) => parentPort!.postMessage(result),
    (e: Error) => parentPort!.postMessage({ ok: false, error: e.stack ?? e.message }),
  );
});
parentPort!.postMessage('ready');
