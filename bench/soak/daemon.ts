/**
 * A long-running child process of the soak (a database, a pooler, a Redis, a hub): started in
 * the foreground with its output in a log file, killed with -9 or stopped, started again with
 * the same command. Every daemon is registered so the soak tears all of them down on any exit.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import { closeSync, openSync, rmSync } from 'fs';
import { createServer } from 'net';

export interface RunAs {
  uid: number;
  gid: number;
}

const running = new Set<Daemon>();
/** Temporary directories to remove when the soak is interrupted (Ctrl-C). */
const scratch = new Set<string>();

export function removeOnAbort(dir: string, yes = true): void {
  if (yes) scratch.add(dir);
  else scratch.delete(dir);
}

export class Daemon {
  child: ChildProcess | null = null;
  private exitedAt: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    private readonly command: string,
    private args: string[],
    private readonly options: {
      logFile: string;
      env?: NodeJS.ProcessEnv;
      runAs?: RunAs;
      /** Ports it listens on: waited for before each start (see portFree). */
      ports?: number[];
    },
  ) {}

  /** Starts it again with other arguments (e.g. a Redis restarted as a replica). */
  withArgs(args: string[]): this {
    this.args = args;
    return this;
  }

  async start(): Promise<void> {
    if (this.alive) throw new Error(`${this.name} is already running`);
    for (const port of this.options.ports ?? [])
      await waitFor(() => portFree(port), `port ${port} of ${this.name} to be free`, 30_000, 200);
    const log = openSync(this.options.logFile, 'a');
    const child = spawn(this.command, this.args, {
      env: this.options.env ?? process.env,
      stdio: ['ignore', log, log],
      ...(this.options.runAs ?? {}),
    });
    closeSync(log);
    this.child = child;
    running.add(this);
    this.exitedAt = new Promise((resolve) =>
      child.once('exit', () => {
        running.delete(this);
        resolve();
      }),
    );
  }

  get alive(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  get logFile(): string {
    return this.options.logFile;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** kill -9, and waits until it is gone. */
  async kill9(): Promise<void> {
    if (!this.alive) return;
    this.child!.kill('SIGKILL');
    await this.exitedAt;
  }

  /** A clean stop (SIGTERM, or the daemon's own signal), then -9 after graceMs. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
    if (!this.alive) return;
    this.child!.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.exitedAt,
      new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          this.child?.kill('SIGKILL');
          resolve();
        }, graceMs);
      }),
    ]);
    clearTimeout(timer);
    await this.exitedAt;
  }

  get exited(): Promise<void> {
    return this.exitedAt;
  }
}

/**
 * Whether the port can be listened on now. The soak's ports lie in Linux's ephemeral range
 * (32768-60999): an outgoing connection may hold one for a while, most often just after its
 * daemon was killed.
 */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** Every daemon still running, -9, synchronously: the last resort on a signal or a crash. */
export function killAllNow(): void {
  for (const d of running) {
    try {
      d.child?.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** On Ctrl-C: every daemon -9, then their directories removed once they are gone. */
export async function abortAll(): Promise<void> {
  const gone = [...running].map((d) => d.exited);
  killAllNow();
  await Promise.race([Promise.all(gone), new Promise((r) => setTimeout(r, 5000))]);
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
}

/** Runs a short command to completion (initdb, pg_basebackup); throws with its output on failure. */
export function runOnce(command: string, args: string[], runAs?: RunAs): string {
  const r = spawnSync(command, args, { encoding: 'utf8', ...(runAs ?? {}) });
  if (r.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Thrown by a waitFor check to stop waiting at once (the awaited thing can no longer happen). */
export class GiveUp extends Error {}

/** Polls check until it answers truthy, or throws naming what after timeoutMs. */
export async function waitFor<T>(
  check: () => Promise<T | null | undefined | false>,
  what: string,
  timeoutMs: number,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      if (e instanceof GiveUp) throw e;
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
