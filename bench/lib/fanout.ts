/** Socket fan-out timing: n socket.io clients in a child process, and the time until all of them saw an event. */
import { fork, type ChildProcess } from 'child_process';
import http from 'http';
import type { AddressInfo } from 'net';
import { join } from 'path';
import { Server } from 'socket.io';

type Reply =
  | { type: 'connected' }
  | { type: 'error'; message: string }
  | { type: 'armed'; key: string }
  | { type: 'done'; key: string; at: string }
  | { type: 'timeout'; key: string; pending: number };

export class RemoteClients {
  private constructor(private readonly child: ChildProcess) {}

  static async connect(url: string, auths: Array<Record<string, unknown>>): Promise<RemoteClients> {
    const child = fork(join(__dirname, 'fanout-clients.ts'), [], {
      execArgv: ['-r', join(__dirname, 'swc-register.js')],
    });
    const clients = new RemoteClients(child);
    const reply = clients.next((r) => r.type === 'connected' || r.type === 'error');
    child.send({ type: 'connect', url, auths });
    const r = await reply;
    if (r.type === 'error') throw new Error(`socket clients: ${r.message}`);
    return clients;
  }

  private next(match: (r: Reply) => boolean): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const done = () => {
        this.child.off('message', fn);
        this.child.off('exit', exit);
      };
      const fn = (r: Reply) => {
        if (!match(r)) return;
        done();
        resolve(r);
      };
      const exit = (code: number | null) => {
        done();
        reject(new Error(`the socket client process exited (${code})`));
      };
      this.child.on('message', fn);
      this.child.once('exit', exit);
    });
  }

  /**
   * Arms every client for `event` whose message.text (or n) equals `value`, runs `trigger`, and
   * resolves with the milliseconds from the start of `trigger` to the last client's arrival.
   */
  async timeToAll(
    event: string,
    field: 'text' | 'n',
    value: string | number,
    trigger: () => unknown,
    timeoutMs = 10_000,
  ): Promise<number> {
    const key = `${event}:${value}`;
    const armed = this.next((r) => r.type === 'armed' && r.key === key);
    const finished = this.next((r) => (r.type === 'done' || r.type === 'timeout') && r.key === key);
    this.child.send({ type: 'arm', key, event, field, value, timeoutMs });
    await armed;
    const start = process.hrtime.bigint();
    await trigger();
    const r = await finished;
    if (r.type === 'timeout')
      throw new Error(`${event}: ${r.pending} sockets got nothing in ${timeoutMs} ms`);
    return Number(BigInt((r as { at: string }).at) - start) / 1e6;
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'close' });
    await exited;
  }
}

/** A bare socket.io server on its own port: the substrate our gateway is measured against. */
export async function rawServer(): Promise<{ io: Server; url: string; close(): Promise<void> }> {
  const httpServer = http.createServer();
  const server = new Server(httpServer, { transports: ['websocket'] });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    io: server,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => void server.close(() => resolve())),
  };
}
