import {
  Injectable,
  Logger,
  type CanActivate,
  type ExecutionContext,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { JsonWebTokenError } from '@nestjs/jwt';
import { WsException } from '@nestjs/websockets';
import type { FastifyRequest } from 'fastify';
import type { Socket } from 'socket.io';
import { DomainError } from '../common/errors/domain-error';
import type { AuthUser } from './auth.decorators';
import {
  permits,
  ROUTE_PERMISSIONS,
  routeKey,
  SOCKET_PERMISSIONS,
  type Permission,
} from './permissions';
import { compareWithTable, declaredRoutes } from './route-table.check';
import { API_KEY_PREFIX, ApiKeysService } from './api-keys/api-keys.service';
import { socketUser } from './socket-user';
import { TokenService } from './token.service';

const rolesOf = (p: Permission) => (typeof p.roles === 'string' ? p.roles : p.roles.join(', '));

/**
 * Every HTTP route and every socket event a client sends is looked up in the permission table
 * (src/auth/permissions.ts). A route or event with no row is refused: the table fails closed.
 */
@Injectable()
export class AuthGuard implements CanActivate, OnApplicationBootstrap {
  private readonly log = new Logger('Permissions');

  constructor(
    private readonly tokens: TokenService,
    private readonly apiKeys: ApiKeysService,
    private readonly modules: ModulesContainer,
  ) {}

  /** A route with no row would refuse every call: the hub does not start with one. */
  onApplicationBootstrap(): void {
    const { missing, stale } = compareWithTable(declaredRoutes(this.modules));
    if (stale.length) this.log.warn(`permission table rows with no route: ${stale.join(', ')}`);
    if (missing.length) {
      const message = `routes missing from src/auth/permissions.ts: ${missing.join(', ')}`;
      this.log.error(message);
      throw new Error(message);
    }
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() === 'ws') return this.socketEvent(ctx);
    if (ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const key = routeKey(req.method, req.routeOptions.url ?? req.url);
    const permission = ROUTE_PERMISSIONS[key];
    if (!permission)
      throw new DomainError('forbidden', `${key} is not in the permission table, so it is refused`);
    if (permission.roles === 'public') return true;
    const header = req.headers.authorization ?? '';
    const [scheme, token] = header.split(' ');
    if (scheme !== 'Bearer' || !token)
      throw new DomainError('unauthorized', 'missing bearer token in the Authorization header');
    if (token.startsWith(API_KEY_PREFIX)) {
      req.user = await this.apiKeys.authenticate(token, {
        routeKey: key,
        method: req.method,
        url: req.url,
        ip: req.ip,
      });
      // A key with a role is held to that role's row as well; one without has its scopes only.
      if (req.user.apiKey?.hasRole && !permits(permission, req.user.role))
        throw new DomainError('forbidden', `${key} needs one of the roles: ${rolesOf(permission)}`);
      return true;
    }
    try {
      req.user = await this.tokens.verify(token);
    } catch (e) {
      if (e instanceof DomainError) throw e;
      // Only the token itself (signature, expiry, type) is the client's: the database
      // unreachable while its user's row is read is a 500, retried, never a 401 telling a
      // client with a valid token to log in again.
      if (e instanceof JsonWebTokenError)
        throw new DomainError('unauthorized', 'invalid or expired token');
      throw e;
    }
    if (!permits(permission, req.user.role))
      throw new DomainError('forbidden', `${key} needs one of the roles: ${rolesOf(permission)}`);
    return true;
  }

  /** The gateway authenticates the socket at connection (socket.data.user); each event is checked here, once that is done. */
  private async socketEvent(ctx: ExecutionContext): Promise<boolean> {
    const ws = ctx.switchToWs();
    const socket = ws.getClient<Socket>();
    const key = `${socket.nsp.name} ${ws.getPattern()}`;
    const permission = SOCKET_PERMISSIONS[key];
    if (!permission)
      throw new WsException(`${key} is not in the permission table, so it is refused`);
    const user = await socketUser(socket);
    if (!permits(permission, user?.role ?? null))
      throw new WsException(`${key} needs one of the roles: ${rolesOf(permission)}`);
    return true;
  }
}
