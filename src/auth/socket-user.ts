import type { Socket } from 'socket.io';
import type { AuthUser } from './auth.decorators';

/**
 * What a gateway keeps on socket.data about who is connected. socket.io tells the client it is
 * connected before the gateway's token check (a database read) ends, so an event sent at once
 * arrives first: the check's promise is kept here for the guard and the handlers to wait on.
 */
export interface SocketAuthData {
  user?: AuthUser;
  authenticated?: Promise<void>;
}

/** Starts a socket's handshake check; its events wait for it (socketUser). */
export function trackAuthentication(socket: Socket, check: Promise<void>): Promise<void> {
  const data = (socket.data ?? {}) as SocketAuthData;
  data.authenticated = check.catch(() => undefined);
  socket.data = data;
  return check;
}

/** The socket's user once its handshake check has ended; undefined when it was refused. */
export async function socketUser(socket: Socket): Promise<AuthUser | undefined> {
  await (socket.data as SocketAuthData | undefined)?.authenticated;
  return (socket.data as SocketAuthData | undefined)?.user;
}
