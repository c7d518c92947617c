import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors/domain-error';
import type { AuthUser } from './auth.decorators';
import { TokenService } from './token.service';

/**
 * What an admin held to enrolment by REQUIRE_2FA may call: set up and enable the factor, see
 * who they are, log out. Everything else answers 403 until a factor is enabled.
 */
export const TWO_FACTOR_ENROLMENT_ROUTES: ReadonlySet<string> = new Set([
  'POST /api/v1/auth/2fa/setup',
  'POST /api/v1/auth/2fa/enable',
  'GET /api/v1/auth/me',
  'POST /api/v1/auth/logout',
]);

/**
 * REQUIRE_2FA: a token whose admin has no second factor (TokenService marks it enrolmentOnly,
 * from the user's row) reaches only TWO_FACTOR_ENROLMENT_ROUTES. It runs beside AuthGuard
 * (which checks the token and the permission table) and does not rely on running after it:
 * without the user AuthGuard put on the request it checks the token itself.
 */
@Injectable()
export class TwoFactorEnrolmentGuard implements CanActivate {
  constructor(private readonly tokens: TokenService) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    if (TWO_FACTOR_ENROLMENT_ROUTES.has(`${req.method} ${req.routeOptions.url}`)) return true;
    const user = req.user ?? (await this.userOf(req));
    if (user?.enrolmentOnly)
      throw new DomainError(
        'forbidden',
        'REQUIRE_2FA: set up a second factor first (POST /api/v1/auth/2fa/setup, then POST /api/v1/auth/2fa/enable with a code)',
      );
    return true;
  }

  /** The bearer's user; a missing or refused token is AuthGuard's to answer (401), not this guard's. */
  private async userOf(req: FastifyRequest): Promise<AuthUser | undefined> {
    const [scheme, token] = (req.headers.authorization ?? '').split(' ');
    if (scheme !== 'Bearer' || !token) return undefined;
    return this.tokens.verify(token).then(
      (u) => u,
      () => undefined,
    );
  }
}
