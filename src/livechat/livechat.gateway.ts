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
import { AppConfig } from '../config/app-config';
import { ChatRefused } from './chat-refused';
import { clientAddress } from './client-address';
import { IdentityClaimsRepository } from './identity-claims.repository';
import { LivechatIdentityService, type IdentifyAnswer } from './livechat-identity.service';
import { LivechatService } from './livechat.service';
import { ChatLimiters, type KeyedLimiter } from './rate-limit';
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
 * refused at the handshake (connect_error with the reason), so the widget retries without one;
 * new visitors (no token) are limited per client address (CHAT_NEW_VISITORS_PER_MINUTE).
 *
 * Rooms: one per visitor (`visitor:<id>`), joined by every tab of that visitor. A reply to a
 * customer reaches the rooms of the visitors the customer holds as live-chat identities, which
 * only a proven identity puts there (LivechatIdentityService); an unproven claim reaches nothing.
 */
@WebSocketGateway({
  namespace: '/chat',
  cors: { origin: true, credentials: true },
  serveClient: true,
})
export class LivechatGateway implements OnGatewayInit, OnGatewayConnection, VisitorDelivery {
  private readonly log = new Logger('LivechatGateway');
  @WebSocketServer() private readonly ns!: Namespace;
  private readonly newVisitors: KeyedLimiter;

  constructor(
    private readonly chat: LivechatService,
    private readonly identity: LivechatIdentityService,
    private readonly claims: IdentityClaimsRepository,
    private readonly visitors: VisitorTokensService,
    private readonly events: DomainEvents,
    private readonly channels: ChannelRegistry,
    private readonly metrics: MetricsService,
    config: AppConfig,
    limiters: ChatLimiters,
  ) {
    this.newVisitors = limiters.create({
      name: 'new-visitors',
      points: config.env.CHAT_NEW_VISITORS_PER_MINUTE,
      seconds: 60,
    });
  }

  afterInit(ns: Namespace): void {
    this.metrics.countConnections('/chat', () => ns.sockets.size);
    ns.use((socket, next) => {
      this.admit(socket).then(
        (data) => {
          socket.data = data;
          next();
        },
        (e: unknown) => {
          const message = e instanceof VisitorTokenRefused ? e.message : 'visitor token refused';
          if (!(e instanceof VisitorTokenRefused))
            this.log.error(`chat handshake failed: ${(e as Error).stack ?? String(e)}`);
          next(Object.assign(new Error(message), { data: { message } }));
        },
      );
    });
    const adapter = this.channels.get('livechat');
    if (adapter instanceof LivechatAdapter) adapter.bind(this);
  }

  /** The visitor of a handshake: its token's, or a new one when the address is under its limit. */
  private async admit(socket: Socket): Promise<VisitorData> {
    const token = (socket.handshake.auth as Record<string, unknown> | undefined)?.visitorToken;
    if (token !== undefined && token !== null && token !== '')
      return { visitorId: this.visitors.verify(token) };
    const wait = await this.newVisitors.take(clientAddress(socket.handshake));
    if (wait !== null) {
      throw new VisitorTokenRefused(
        `new visitor refused: at most ${this.newVisitors.spec.points} new visitors per minute from one address, try again in ${wait} s`,
      );
    }
    const issued = this.visitors.issue();
    return { visitorId: issued.visitorId, issuedToken: issued.visitorToken };
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
  ): Promise<IdentifyAnswer | { error: string }> {
    try {
      const answer = await this.identity.identify(socket.data.visitorId, body);
      if (answer.verified) await this.replayHistory(socket.data.visitorId);
      return answer;
    } catch (e) {
      return this.refuse(socket, e);
    }
  }

  @SubscribeMessage('verify')
  async onVerify(
    @ConnectedSocket() socket: VisitorSocket,
    @MessageBody() body: unknown,
  ): Promise<{ customerId: string; verified: true } | { error: string }> {
    try {
      const answer = await this.identity.verify(socket.data.visitorId, body);
      await this.replayHistory(socket.data.visitorId);
      return answer;
    } catch (e) {
      return this.refuse(socket, e);
    }
  }

  /** After a proven link, every tab of the visitor redraws with the customer's chat. */
  private async replayHistory(visitorId: string): Promise<void> {
    this.ns.to(room(visitorId)).emit('history', { messages: await this.chat.history(visitorId) });
  }

  /**
   * VisitorDelivery: pushes to every tab of every visitor of the customer holding `address`
   * (the reply's live-chat identity), on any instance (Redis adapter).
   */
  async deliver(address: string, payload: ChatPayload): Promise<boolean> {
    const visitors = await this.claims.visitorsOfCustomerOf(address);
    const rooms = (visitors.length > 0 ? visitors : [address]).map(room);
    const sockets = await this.ns.in(rooms).fetchSockets();
    if (sockets.length === 0) return false;
    this.ns.to(rooms).emit('message', payload);
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
