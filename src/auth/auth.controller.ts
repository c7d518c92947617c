import { Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiZodBody, ApiZodResponse, ZodBody } from '../common/http/zod-body';
import { CurrentUser, type AuthUser } from './auth.decorators';
import {
  LoginResponse,
  TwoFactorSetupResponse,
  TwoFactorStateResponse,
  UserResponse,
} from './auth.responses';
import { LoginService } from './login.service';
import { TwoFactorService } from './two-factor.service';
import { UsersService } from './users.service';

const LoginBody = z.object({
  email: z.string().min(1).max(320),
  // Longer than any accepted password (256 bytes): the service names the limit in its 400.
  password: z.string().min(1).max(1024),
  code: z.string().max(16).optional(),
});
const PasswordChangeBody = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().max(1024),
});
const CodeBody = z.object({ code: z.string().regex(/^\d{6}$/, 'must be the 6-digit code') });

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
  @ApiZodResponse(200, 'Logged in', LoginResponse)
  @ApiZodBody(LoginBody)
  async login(@ZodBody(LoginBody) body: z.infer<typeof LoginBody>, @Req() req: FastifyRequest) {
    return this.logins.login({ ...body, ip: req.ip });
  }

  @ApiBearerAuth()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({
    summary:
      "Log out: every token of the user stops working, on every device, and the user's sockets close",
  })
  @ApiResponse({ status: 204, description: 'Logged out (no body)' })
  async logout(@CurrentUser() user: AuthUser): Promise<void> {
    await this.users.endSessions(user.id);
  }

  @ApiBearerAuth()
  @Post('password')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Change your own password: {currentPassword, newPassword}; every session ends',
    description:
      'A temporary password (generated at first start or set by an admin) stops being temporary. 400 names a wrong current password or why the new one is refused.',
  })
  @ApiResponse({ status: 204, description: 'Changed (no body)' })
  @ApiZodBody(PasswordChangeBody)
  async changePassword(
    @CurrentUser() user: AuthUser,
    @ZodBody(PasswordChangeBody) body: z.infer<typeof PasswordChangeBody>,
  ): Promise<void> {
    await this.users.changeOwnPassword(user.id, body.currentPassword, body.newPassword);
  }

  @ApiBearerAuth()
  @Get('me')
  @ApiOperation({ summary: 'The logged-in user (id, e-mail, name, role, second factor)' })
  @ApiZodResponse(200, 'The user', UserResponse)
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
  @ApiZodResponse(200, 'The secret to enrol', TwoFactorSetupResponse)
  async setupTwoFactor(@CurrentUser() user: AuthUser) {
    return this.twoFactor.setup(user);
  }

  @ApiBearerAuth()
  @Post('2fa/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm TOTP enrolment with a code; later logins need {code}' })
  @ApiZodResponse(200, 'Enabled', TwoFactorStateResponse)
  @ApiZodBody(CodeBody)
  async enableTwoFactor(
    @CurrentUser() user: AuthUser,
    @ZodBody(CodeBody) body: z.infer<typeof CodeBody>,
    @Req() req: FastifyRequest,
  ) {
    await this.twoFactor.enable(user, body.code, req.ip);
    return { twoFactor: true };
  }

  @ApiBearerAuth()
  @Post('2fa/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Remove the second factor (needs a current code)' })
  @ApiZodResponse(200, 'Removed', TwoFactorStateResponse)
  @ApiZodBody(CodeBody)
  async disableTwoFactor(
    @CurrentUser() user: AuthUser,
    @ZodBody(CodeBody) body: z.infer<typeof CodeBody>,
    @Req() req: FastifyRequest,
  ) {
    await this.twoFactor.disable(user, body.code, req.ip);
    return { twoFactor: false };
  }
}
