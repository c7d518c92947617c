import net from 'net';
import type { AddressInfo } from 'net';

/**
 * A TCP proxy on loopback in front of a real server (Redis, PostgreSQL) that a test can make
 * misbehave: `hang()` keeps every connection open but forwards nothing either way (a server
 * that stopped answering), `refuse()` closes the listener and every connection (a server that
 * is gone: ECONNREFUSED), `pass()` forwards again (held bytes and held connections go through).
 */
export class TcpProxy {
  private server?: net.Server;
  private mode: 'pass' | 'hang' = 'pass';
  private readonly pairs = new Set<Pair>();
  port = 0;

  private constructor(
    private readonly target: { host: string; port: number },
    private readonly listenPort: number,
  ) {}

  static async start(
    target: { host: string; port: number },
    mode: 'pass' | 'refuse' = 'pass',
  ): Promise<TcpProxy> {
    const proxy = new TcpProxy(target, 0);
    await proxy.listen();
    if (mode === 'refuse') await proxy.refuse();
    return proxy;
  }

  /** The target's URL with the proxy's port in its place. */
  url(targetUrl: string): string {
    const u = new URL(targetUrl);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  private listen(): Promise<void> {
    const server = net.createServer((client) => this.accept(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port || this.listenPort, '127.0.0.1', () => {
        this.port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private accept(client: net.Socket): void {
    const pair: Pair = { client, held: [], heldBack: [] };
    this.pairs.add(pair);
    client.on('error', () => undefined);
    client.on('close', () => {
      pair.upstream?.destroy();
      this.pairs.delete(pair);
    });
    client.on('data', (d: Buffer) =>
      this.mode === 'pass' && pair.upstream ? pair.upstream.write(d) : pair.held.push(d),
    );
    if (this.mode === 'pass') this.connectUpstream(pair);
  }

  private connectUpstream(pair: Pair): void {
    const upstream = net.connect(this.target.port, this.target.host);
    pair.upstream = upstream;
    upstream.on('error', () => pair.client.destroy());
    upstream.on('close', () => pair.client.destroy());
    upstream.on('data', (d: Buffer) =>
      this.mode === 'pass' ? pair.client.write(d) : pair.heldBack.push(d),
    );
    for (const d of pair.held.splice(0)) upstream.write(d);
  }

  /** Connections stay open (and new ones are accepted) but nothing is forwarded. */
  hang(): void {
    this.mode = 'hang';
  }

  /** Forwards again, held bytes first. */
  async pass(): Promise<void> {
    if (!this.server?.listening) await this.listen();
    this.mode = 'pass';
    for (const pair of this.pairs) {
      if (!pair.upstream) this.connectUpstream(pair);
      else for (const d of pair.held.splice(0)) pair.upstream.write(d);
      for (const d of pair.heldBack.splice(0)) pair.client.write(d);
    }
  }

  /** Nothing listens on the port any more and every connection is cut. */
  async refuse(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream?.destroy();
    }
    this.pairs.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  close(): Promise<void> {
    return this.refuse();
  }
}

interface Pair {
  client: net.Socket;
  upstream?: net.Socket;
  /** Client bytes not yet forwarded; upstream bytes not yet forwarded. */
  held: Buffer[];
  heldBack: Buffer[];
}
