import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors/domain-error';
import type { Role } from '../common/names';
import { IS_PUBLIC, ROLES, type AuthUser } from './auth.decorators';
import { TokenService } from './token.service';

/** Every HTTP route needs a valid bearer token unless marked @Public; @Roles narrows who. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const header = req.headers.authorization ?? '';
    const [scheme, token] = header.split(' ');
    if (scheme !== 'Bearer' || !token)
      throw new DomainError('unauthorized', 'missing bearer token in the Authorization header');
    try {
      req.user = this.tokens.verify(token);
    } catch {
      throw new DomainError('unauthorized', 'invalid or expired token');
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && req.user.role !== 'admin' && !roles.includes(req.user.role)) {
      throw new DomainError('forbidden', `this action needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }
}
