import { Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
} from '@nestjs/websockets';
import { JsonWebTokenError } from '@nestjs/jwt';
import type { Namespace, Socket } from 'socket.io';
import type { AuthUser } from '../auth/auth.decorators';
import { permits, SOCKET_PERMISSIONS } from '../auth/permissions';
import { DomainError } from '../common/errors/domain-error';
import { unstorableValue } from '../database/sql-errors';
import { TokenService } from '../auth/token.service';
import { DomainEvents } from '../events/domain-events';
import { MetricsService } from '../metrics/metrics.service';
import { VisibilityService } from '../conversations/visibility.service';
import { socketUser, trackAuthentication } from '../auth/socket-user';
import { AgentEventsForwarder } from './agent-events.forwarder';
import { PresenceService, type PresenceStatus } from './presence.service';
import { AGENTS_ROOM, convRoom, STAFF_ROOM, teamRoom, userRoom } from './rooms';

interface AgentData {
  user: AuthUser;
  viewing: string | null;
}
type AgentSocket = Socket & { data: AgentData };

const isUuid = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f-]{36}$/i.test(v);

/** The agents' live channel: events of conversations they may see, presence, typing and viewing. */
@WebSocketGateway({ namespace: '/agents', cors: { origin: true, credentials: true } })
export class AgentsGateway
  implements OnGatewayConnection, OnGatewayDisconnect, OnModuleInit, BeforeApplicationShutdown
{
  private readonly log = new Logger('AgentsGateway');
  @WebSocketServer() server!: Namespace;
  /** Disconnect bookkeeping under way (presence, viewers), awaited before the database closes. */
  private readonly leaving = new Set<Promise<void>>();

  constructor(
    private readonly tokens: TokenService,
    private readonly visibility: VisibilityService,
    private readonly presence: PresenceService,
    private readonly forwarder: AgentEventsForwarder,
    private readonly events: DomainEvents,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    this.forwarder.start(() => this.server);
    this.metrics.countConnections('/agents', () => this.server?.sockets.size ?? 0);
    this.events.on('user.sessions.ended', (e) => this.endSessions(e.userId, e.reason));
    this.events.on('team.members.changed', (e) => this.followTeam(e.userId, e.teamId, e.change));
  }

  /**
   * An agent joined or left a team: their open sockets (on any instance, through the adapter)
   * join or leave its room at once, as a reconnect would. Others see all through the staff room.
   */
  private async followTeam(userId: string, teamId: string, change: 'added' | 'removed') {
    if (!this.server) return;
    for (const s of await this.server.in(userRoom(userId)).fetchSockets()) {
      if ((s.data as AgentData | undefined)?.user.role !== 'agent') continue;
      if (change === 'added') s.join(teamRoom(teamId));
      else s.leave(teamRoom(teamId));
    }
  }

  /**
   * Logout, deactivation or a role change: the user's sockets close on every instance (through
   * the socket.io adapter), told why first. A reconnect is checked afresh: refused once the token
   * is revoked, else joined to the rooms of the user's role now.
   */
  private endSessions(userId: string, reason: string): void {
    if (!this.server) return;
    this.server.to(userRoom(userId)).emit('session.ended', { reason });
    // This instance's sockets close here and now: the Redis adapter's disconnectSockets only
    // publishes a request, which this instance too would act on only once it came back.
    this.server.local.in(userRoom(userId)).disconnectSockets(true);
    this.server.in(userRoom(userId)).disconnectSockets(true);
  }

  async handleConnection(socket: AgentSocket): Promise<void> {
    await trackAuthentication(socket, this.authenticate(socket));
  }

  /** The socket's user once its handshake check is done; undefined when it was refused. */
  private userOf(socket: AgentSocket): Promise<AuthUser | undefined> {
    return socketUser(socket);
  }

  private async authenticate(socket: AgentSocket): Promise<void> {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const refuse = () => {
      socket.emit('error', { message: 'auth.token: missing, invalid, expired or revoked token' });
      socket.disconnect(true);
    };
    if (typeof token !== 'string') return refuse();
    let user: AuthUser;
    try {
      // The same revocable check as HTTP: a logged-out, deactivated or deleted user is refused.
      user = await this.tokens.verify(token);
    } catch (e) {
      // A bad signature or expiry (JsonWebTokenError) or a token its user's row refuses
      // (DomainError) is the client's; anything else (the database unreachable, a token of
      // another type) is refused alike, since an unchecked socket must not stay, and logged.
      if (!(e instanceof JsonWebTokenError || e instanceof DomainError))
        this.log.warn(`agent socket refused, its token could not be checked: ${String(e)}`);
      return refuse();
    }
    if (user.enrolmentOnly) {
      socket.emit('error', { message: 'REQUIRE_2FA: enable a second factor first' });
      socket.disconnect(true);
      return;
    }
    if (!permits(SOCKET_PERMISSIONS['/agents connection'], user.role)) {
      socket.emit('error', { message: `${user.role}s have no access to conversations` });
      socket.disconnect(true);
      return;
    }
    Object.assign(socket.data, { user, viewing: null });
    const rooms = [userRoom(user.id), user.role === 'agent' ? AGENTS_ROOM : STAFF_ROOM];
    if (user.role === 'agent')
      for (const t of await this.visibility.teamIdsOf(user.id)) rooms.push(teamRoom(t));
    await socket.join(rooms);
    await this.setPresence(user, 'online');
  }

  async handleDisconnect(socket: AgentSocket): Promise<void> {
    const work = this.leave(socket);
    this.leaving.add(work);
    try {
      await work;
    } finally {
      this.leaving.delete(work);
    }
  }

  /**
   * This instance's agents leave while the database is still open: their sockets close here
   * (not on other instances) and their presence is written before the pool ends. Left to the
   * socket server's own close, these writes raced the database's shutdown.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.server?.local.disconnectSockets(true);
    // socket.io emits 'disconnect' as each socket closes; one more turn covers a handler started later.
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all([...this.leaving]);
  }

  private async leave(socket: AgentSocket): Promise<void> {
    const data = socket.data as AgentData | undefined;
    if (!data?.user) return;
    try {
      if (data.viewing) await this.broadcastViewers(data.viewing);
      const left = await this.server.in(userRoom(data.user.id)).fetchSockets();
      if (left.length === 0) await this.setPresence(data.user, 'offline');
    } catch (e) {
      this.log.debug(`disconnect bookkeeping for ${data.user.id} skipped: ${(e as Error).message}`);
    }
  }

  @SubscribeMessage('presence')
  async onPresence(
    @ConnectedSocket() socket: AgentSocket,
    @MessageBody() body: { status?: unknown },
  ): Promise<void> {
    const user = await this.userOf(socket);
    if (!user) return;
    const status = body?.status === 'away' ? 'away' : body?.status === 'online' ? 'online' : null;
    if (status) await this.setPresence(user, status);
  }

  @SubscribeMessage('view')
  async onView(
    @ConnectedSocket() socket: AgentSocket,
    @MessageBody() body: { conversationId?: unknown },
  ): Promise<void> {
    const user = await this.userOf(socket);
    if (!user) return;
    const previous = socket.data.viewing;
    const next =
      isUuid(body?.conversationId) && (await this.mayView(user, body.conversationId))
        ? body.conversationId
        : null;
    if (previous === next) return;
    if (previous) {
      await socket.leave(convRoom(previous));
      socket.data.viewing = null;
      await this.broadcastViewers(previous);
    }
    if (next) {
      socket.data.viewing = next;
      await socket.join(convRoom(next));
      await this.broadcastViewers(next);
    }
  }

  @SubscribeMessage('typing')
  async onTyping(
    @ConnectedSocket() socket: AgentSocket,
    @MessageBody() body: { conversationId?: unknown; typing?: unknown },
  ): Promise<void> {
    const user = await this.userOf(socket);
    if (!user || !isUuid(body?.conversationId) || socket.data.viewing !== body.conversationId)
      return;
    socket.to(convRoom(body.conversationId)).emit('agent.typing', {
      conversationId: body.conversationId,
      agent: { id: user.id, name: user.name },
      typing: body.typing !== false,
    });
    // Live chat shows it to the visitor.
    this.events.emit('agent.typing', {
      conversationId: body.conversationId,
      agentId: user.id,
      typing: body.typing !== false,
    });
  }

  private async mayView(user: AuthUser, conversationId: string): Promise<boolean> {
    try {
      const conv = await this.forwarder.conversationRef(conversationId);
      if (!conv) return false;
      await this.visibility.assertCanSee(user, conv);
      return true;
    } catch (e) {
      // Not viewing is the safe answer. Outside the user's scope (DomainError) or not a uuid
      // PostgreSQL takes (class 22) is the client's; anything else is logged.
      const clients = e instanceof DomainError || unstorableValue(e) !== undefined;
      if (!clients) this.log.warn(`view of ${conversationId} not registered: ${String(e)}`);
      return false;
    }
  }

  private async broadcastViewers(conversationId: string): Promise<void> {
    const sockets = await this.server.in(convRoom(conversationId)).fetchSockets();
    const agents = new Map<string, { id: string; name: string }>();
    for (const s of sockets) {
      const u = (s.data as AgentData | undefined)?.user;
      if (u) agents.set(u.id, { id: u.id, name: u.name });
    }
    this.server
      .to(convRoom(conversationId))
      .emit('agent.viewing', { conversationId, agents: [...agents.values()] });
  }

  private async setPresence(user: AuthUser, status: PresenceStatus): Promise<void> {
    try {
      await this.presence.set(user.id, status);
    } catch (e) {
      this.log.warn(`presence of ${user.id} not stored: ${(e as Error).message}`);
    }
    this.server
      .to([STAFF_ROOM, AGENTS_ROOM])
      .emit('presence', { agentId: user.id, name: user.name, status });
  }
}
