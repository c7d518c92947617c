/**
 * The hub's processes in the soak: real `node src/main.ts` processes (the benches' swc require
 * hook, as the crash tests start them), sharing one database through PgBouncer and one Redis
 * through Sentinel. hub-a runs everything (PROCESS_ROLE=all), hub-b serves the API only and
 * hub-c runs jobs only: killing the worker or the API process always leaves one of each role.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { Daemon, GiveUp, waitFor } from './daemon';

const ROOT = join(__dirname, '../..');

export type HubRole = 'all' | 'api' | 'worker';

export interface HubProcess {
  name: string;
  role: HubRole;
  url: string;
  /** The built-in SMTP receiver's port (API roles). */
  smtpPort: number;
  daemon: Daemon;
  /**
   * Answered /health since it last started: the load sends it requests (a load balancer's
   * health check). Cleared when the soak kills it, so a restarting process is skipped.
   */
  ready: boolean;
}

export function hubProcesses(
  dir: string,
  ports: { http: number[]; smtp: number[] },
  env: Record<string, string>,
): HubProcess[] {
  const roles: Array<[string, HubRole]> = [
    ['hub-a', 'all'],
    ['hub-b', 'api'],
    ['hub-c', 'worker'],
  ];
  return roles.map(([name, role], i) => {
    const http = ports.http[i];
    const smtp = ports.smtp[i];
    const daemon = new Daemon(
      name,
      process.execPath,
      ['-r', join(ROOT, 'bench/lib/swc-register.js'), join(ROOT, 'src/main.ts')],
      {
        logFile: join(dir, `${name}.log`),
        env: {
          ...process.env,
          ...env,
          PROCESS_ROLE: role,
          PORT: String(http),
          HOST: '127.0.0.1',
          SMTP_INBOUND_PORT: String(smtp),
          START_SMTP_RECEIVER: role === 'worker' ? 'false' : 'true',
        },
        ports: role === 'worker' ? [http] : [http, smtp],
      },
    );
    return { name, role, url: `http://127.0.0.1:${http}`, smtpPort: smtp, daemon, ready: false };
  });
}

/** The last lines of a log, for an error message. */
export function logTail(file: string, lines = 12): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}

export async function healthy(hub: HubProcess): Promise<boolean> {
  const r = await fetch(`${hub.url}/health`, { signal: AbortSignal.timeout(3000) }).catch(
    () => null,
  );
  return r?.status === 200;
}

/** Starts a hub process and resolves when it answers /health (throws if it exits first). */
export async function startHub(hub: HubProcess, timeoutMs = 180_000): Promise<void> {
  hub.ready = false;
  await hub.daemon.start();
  await waitFor(
    async () => {
      if (!hub.daemon.alive)
        throw new GiveUp(`${hub.name} exited while starting: ${logTail(hub.daemon.logFile)}`);
      return healthy(hub);
    },
    `${hub.name} to answer /health`,
    timeoutMs,
    250,
  );
  hub.ready = true;
}

/** kill -9 of a hub process; the load stops sending it requests first. */
export async function killHub(hub: HubProcess): Promise<void> {
  hub.ready = false;
  await hub.daemon.kill9();
}
