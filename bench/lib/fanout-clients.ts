/**
 * Child process of bench:inbox: holds the socket.io clients, so that parsing 200 copies of every
 * event does not run on the server's event loop (agents sit on other machines). Reports arrival
 * times on process.hrtime (CLOCK_MONOTONIC, the same clock as the parent's).
 */
import { io, type Socket } from 'socket.io-client';

type Command =
  | { type: 'connect'; url: string; auths: Array<Record<string, unknown>> }
  | {
      type: 'arm';
      key: string;
      event: string;
      field: 'text' | 'n';
      value: string | number;
      timeoutMs: number;
    }
  | { type: 'close' };

let sockets: Socket[] = [];
const send = (m: unknown) => process.send?.(m);

function valueOf(payload: unknown, field: 'text' | 'n'): unknown {
  return field === 'text'
    ? (payload as { message?: { text?: string } }).message?.text
    : (payload as { n?: number }).n;
}

process.on('message', (cmd: Command) => {
  if (cmd.type === 'connect') {
    sockets = cmd.auths.map((auth) =>
      io(cmd.url, { auth, transports: ['websocket'], forceNew: true, reconnection: false }),
    );
    Promise.all(
      sockets.map(
        (s) =>
          new Promise<void>(
            (resolve, reject) => (
              s.once('connect', () => resolve()),
              s.once('connect_error', reject)
            ),
          ),
      ),
    ).then(
      () => send({ type: 'connected' }),
      (e: Error) => send({ type: 'error', message: e.message }),
    );
  } else if (cmd.type === 'arm') {
    let pending = sockets.length;
    const offs = sockets.map((s) => {
      let seen = false;
      const fn = (payload: unknown) => {
        if (seen || valueOf(payload, cmd.field) !== cmd.value) return;
        seen = true;
        if (--pending === 0) {
          const at = process.hrtime.bigint();
          clearTimeout(timer);
          offs.forEach((off) => off());
          send({ type: 'done', key: cmd.key, at: at.toString() });
        }
      };
      s.on(cmd.event, fn);
      return () => s.off(cmd.event, fn);
    });
    const timer = setTimeout(() => {
      offs.forEach((off) => off());
      send({ type: 'timeout', key: cmd.key, pending });
    }, cmd.timeoutMs);
    send({ type: 'armed', key: cmd.key });
  } else {
    for (const s of sockets) s.disconnect();
    process.exit(0);
  }
});
