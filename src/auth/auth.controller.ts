import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DomainError } from '../common/errors/domain-error';
import { ApiZodBody, ZodBody } from '../common/http/zod-body';
import { CurrentUser, type AuthUser } from './auth.decorators';
import { LoginService } from './login.service';
import { TwoFactorService } from './two-factor.service';
import { UsersService } from './users.service';

const LoginBody = z.object({
  email: z.string().min(1).max(320),
  // Longer than any accepted password (256 bytes): the service names the limit in its 400.
  password: z.string().min(1).max(1024),
  code: z.string().max(16).optional(),
});
const CodeBody = z.object({ code: z.string().regex(/^\d{6}$/, 'must be the 6-digit code') });

/** A 429 carries Retry-After (seconds) as well as details.retryAfterSeconds. */
async function withRetryAfter<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    const wait = e instanceof DomainError ? e.details?.retryAfterSeconds : undefined;
    if (typeof wait === 'number') void reply.header('Retry-After', String(wait));
    throw e;
  }
}

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly logins: LoginService,
    private readonly users: UsersService,
    private readonly twoFactor: TwoFactorService,
  ) {}

  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Log in: {email, password, code?} -> {accessToken, user}',
    description:
      'code is the 6-digit TOTP code, needed once the user enabled a second factor (401 naming code otherwise). ' +
      'Failed attempts are limited per account and per client address (429 with Retry-After). ' +
      'With REQUIRE_2FA an admin without a factor gets twoFactorEnrolmentRequired: true and a token that reaches only the 2FA enrolment routes.',
  })
  @ApiZodBody(LoginBody)
  async login(
    @ZodBody(LoginBody) body: z.infer<typeof LoginBody>,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRetryAfter(reply, () => this.logins.login({ ...body, ip: req.ip }));
  }

  @ApiBearerAuth()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({
    summary:
      "Log out: every token of the user stops working, on every device, and the user's sockets close",
  })
  async logout(@CurrentUser() user: AuthUser): Promise<void> {
    await this.users.endSessions(user.id);
  }

  @ApiBearerAuth()
  @Get('me')
  async me(@CurrentUser() user: AuthUser) {
    return this.users.get(user.id);
  }

  @ApiBearerAuth()
  @Post('2fa/setup')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Start TOTP enrolment: {secret, otpauthUrl} (shown this once; confirm with /2fa/enable)',
  })
  async setupTwoFactor(@CurrentUser() user: AuthUser) {
    return this.twoFactor.setup(user);
  }

  @ApiBearerAuth()
  @Post('2fa/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm TOTP enrolment with a code; later logins need {code}' })
  @ApiZodBody(CodeBody)
  async enableTwoFactor(
    @CurrentUser() user: AuthUser,
    @ZodBody(CodeBody) body: z.infer<typeof CodeBody>,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    await withRetryAfter(reply, () => this.twoFactor.enable(user, body.code, req.ip));
    return { twoFactor: true };
  }

  @ApiBearerAuth()
  @Post('2fa/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Remove the second factor (needs a current code)' })
  @ApiZodBody(CodeBody)
  async disableTwoFactor(
    @CurrentUser() user: AuthUser,
    @ZodBody(CodeBody) body: z.infer<typeof CodeBody>,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    await withRetryAfter(reply, () => this.twoFactor.disable(user, body.code, req.ip));
    return { twoFactor: false };
  }
}
