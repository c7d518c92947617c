import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import type { AuthUser } from './auth.decorators';
import { LoginThrottle } from './login-throttle';
import { TotpService } from './totp.service';
import { UsersRepository } from './users.repository';

/**
 * Enrolment of a TOTP second factor: setup gives a secret (shown this once, stored encrypted as
 * pending), enable confirms it with a code, disable removes it with a code. Wrong codes count as
 * failed logins of the account (a stolen token cannot guess its way to disabling the factor).
 */
@Injectable()
export class TwoFactorService {
  constructor(
    private readonly users: UsersRepository,
    private readonly totp: TotpService,
    private readonly throttle: LoginThrottle,
    private readonly config: AppConfig,
  ) {}

  async setup(user: AuthUser): Promise<{ secret: string; otpauthUrl: string }> {
    const state = await this.state(user);
    if (state.secret)
      throw new DomainError(
        'conflict',
        'two-factor authentication is already enabled; disable it first',
      );
    const created = this.totp.newSecret(user.email);
    await this.users.setTotpPending(user.id, this.totp.encrypt(created.secret));
    return created;
  }

  async enable(user: AuthUser, code: string, ip: string): Promise<void> {
    const state = await this.state(user);
    if (state.secret)
      throw new DomainError('conflict', 'two-factor authentication is already enabled');
    if (!state.pending)
      throw new DomainError(
        'bad_request',
        'no secret set up: call POST /api/v1/auth/2fa/setup first',
      );
    const step = await this.checkCode(user, this.totp.decrypt(state.pending), code, ip);
    if (!(await this.users.enableTotp(user.id, state.pending, step)))
      throw new DomainError(
        'conflict',
        'the secret was set up again meanwhile: use the newest one',
      );
  }

  async disable(user: AuthUser, code: string, ip: string): Promise<void> {
    if (this.config.env.REQUIRE_2FA && user.role === 'admin')
      throw new DomainError('forbidden', 'REQUIRE_2FA is set: an admin keeps a second factor');
    const state = await this.state(user);
    if (!state.secret)
      throw new DomainError('conflict', 'two-factor authentication is not enabled');
    const step = await this.checkCode(user, this.totp.decrypt(state.secret), code, ip);
    if (!(await this.users.useTotpStep(user.id, step)))
      throw new DomainError('bad_request', 'code: invalid, expired or already used one-time code');
    await this.users.disableTotp(user.id);
  }

  private async state(user: AuthUser) {
    const state = await this.users.totpOf(user.id);
    if (!state) throw new DomainError('not_found', `user ${user.id} not found`);
    return state;
  }

  private async checkCode(
    user: AuthUser,
    secret: string,
    code: string,
    ip: string,
  ): Promise<number> {
    const session = await this.users.sessionOf(user.id);
    const account = { email: user.email, generation: session?.tokenVersion ?? 0 };
    await this.throttle.assertAllowed(account, ip);
    const step = await this.totp.check(secret, code);
    if (step === null) {
      await this.throttle.failed(account, ip);
      throw new DomainError('bad_request', 'code: invalid or expired one-time code');
    }
    return step;
  }
}
