import { Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import {
  LivechatAdapter,
  type ChatPayload,
  type VisitorDelivery,
} from '../../channel-adapters/livechat';
import { ChannelRegistry } from '../channels/channel-registry';
import { DomainEvents } from '../events/domain-events';
import { MetricsService } from '../metrics/metrics.service';
import { ChatRefused } from './chat-refused';
import { LivechatService } from './livechat.service';
import { VisitorTokenRefused, VisitorTokensService } from './visitor-tokens.service';

const room = (visitorId: string) => `visitor:${visitorId}`;

interface VisitorData {
  visitorId: string;
  /** Present when the token was issued on this connection (a first visit). */
  issuedToken?: string;
}

type VisitorSocket = Socket & { data: VisitorData };

/**
 * socket.io namespace /chat, spoken by web/widget/widget.ts. A forged or expired visitor token is
 * refused at the handshake (connect_error with the reason), so the widget retries without one.
 */
@WebSocketGateway({
  namespace: '/chat',
  cors: { origin: true, credentials: true },
  serveClient: true,
})
export class LivechatGateway implements OnGatewayInit, OnGatewayConnection, VisitorDelivery {
  private readonly log = new Logger('LivechatGateway');
  @WebSocketServer() private readonly ns!: Namespace;

  constructor(
    private readonly chat: LivechatService,
    private readonly visitors: VisitorTokensService,
    private readonly events: DomainEvents,
    private readonly channels: ChannelRegistry,
    private readonly metrics: MetricsService,
  ) {}

  afterInit(ns: Namespace): void {
    this.metrics.countConnections('/chat', () => ns.sockets.size);
    ns.use((socket, next) => {
      const token = (socket.handshake.auth as Record<string, unknown> | undefined)?.visitorToken;
      try {
        if (token === undefined || token === null || token === '') {
          const issued = this.visitors.issue();
          socket.data = {
            visitorId: issued.visitorId,
            issuedToken: issued.visitorToken,
          } satisfies VisitorData;
        } else {
          socket.data = { visitorId: this.visitors.verify(token) } satisfies VisitorData;
        }
        next();
      } catch (e) {
        const message = e instanceof VisitorTokenRefused ? e.message : 'visitor token refused';
        next(Object.assign(new Error(message), { data: { message } }));
      }
    });
    const adapter = this.channels.get('livechat');
    if (adapter instanceof LivechatAdapter) adapter.bind(this);
  }

  async handleConnection(socket: VisitorSocket): Promise<void> {
    const { visitorId, issuedToken } = socket.data;
    await socket.join(room(visitorId));
    if (issuedToken) socket.emit('session', { visitorToken: issuedToken, visitorId });
    else socket.emit('session', { visitorId });
    try {
      socket.emit('history', { messages: await this.chat.history(visitorId) });
    } catch (e) {
      this.log.warn(`history for ${visitorId} failed: ${(e as Error).message}`);
    }
  }

  @SubscribeMessage('message')
  async onMessage(
    @ConnectedSocket() socket: VisitorSocket,
    @MessageBody() body: unknown,
  ): Promise<{ id: string } | { error: string }> {
    const { visitorId } = socket.data;
    try {
      const message = await this.chat.receive(visitorId, body);
      const payload: ChatPayload = {
        id: message.id,
        text: message.text,
        direction: 'inbound',
        createdAt: message.createdAt,
      };
      this.ns.to(room(visitorId)).emit('message', payload);
      return { id: message.id };
    } catch (e) {
      return this.refuse(socket, e);
    }
  }

  @SubscribeMessage('typing')
  async onTyping(
    @ConnectedSocket() socket: VisitorSocket,
    @MessageBody() body: unknown,
  ): Promise<void> {
    const typing = Boolean((body as { typing?: unknown } | null)?.typing);
    const customerId = await this.chat.customerOf(socket.data.visitorId);
    const conversationId = customerId ? await this.chat.conversationOf(customerId) : null;
    this.events.emit('visitor.typing', {
      visitorId: socket.data.visitorId,
      customerId,
      conversationId,
      typing,
    });
  }

  @SubscribeMessage('identify')
  async onIdentify(
    @ConnectedSocket() socket: VisitorSocket,
    @MessageBody() body: unknown,
  ): Promise<{ customerId: string } | { error: string }> {
    try {
      const { customerId } = await this.chat.identify(socket.data.visitorId, body);
      return { customerId };
    } catch (e) {
      return this.refuse(socket, e);
    }
  }

  /** VisitorDelivery: pushes to every tab of the visitor, on any instance (Redis adapter). */
  async deliver(visitorId: string, payload: ChatPayload): Promise<boolean> {
    const sockets = await this.ns.in(room(visitorId)).fetchSockets();
    if (sockets.length === 0) return false;
    this.ns.to(room(visitorId)).emit('message', payload);
    return true;
  }

  /** An agent's typing indicator, shown in the visitor's widget. */
  typing(visitorId: string, typing: boolean): void {
    this.ns.to(room(visitorId)).emit('typing', { typing });
  }

  private refuse(socket: Socket, e: unknown): { error: string } {
    const message =
      e instanceof ChatRefused ? e.message : 'the message could not be stored, try again';
    if (!(e instanceof ChatRefused))
      this.log.error(`chat request failed: ${(e as Error).stack ?? String(e)}`);
    socket.emit('error', { message });
    return { error: message };
  }
}
