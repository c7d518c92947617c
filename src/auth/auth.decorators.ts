import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role } from '../common/names';

// Who may call a route is the permission table's (src/auth/permissions.ts), not a decorator's.

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
  /** Set when the request came with an API key: it acts for its creator within its scopes. */
  apiKey?: { id: string; name: string; scopes: string[]; hasRole: boolean };
}

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<{ user: AuthUser }>().user;
});
