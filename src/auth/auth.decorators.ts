import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Role } from '../common/names';

export const IS_PUBLIC = 'auth:public';
export const ROLES = 'auth:roles';

/** A route anyone may call (webhooks check their own signatures). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/** The roles allowed on a route; admin is always allowed. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /**
   * REQUIRE_2FA is set and this admin has no second factor yet: the token reaches only the
   * enrolment routes (TWO_FACTOR_ENROLMENT_ROUTES) until a factor is enabled.
   */
  enrolmentOnly?: boolean;
}

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<{ user: AuthUser }>().user;
});
