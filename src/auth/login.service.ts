import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { PASSWORD_MAX_BYTES } from './password-policy';
import { TokenService } from './token.service';
import { TotpService } from './totp.service';
import { UsersRepository, type LoginRow } from './users.repository';

export interface LoginAttempt {
  email: string;
  password: string;
  code?: string;
  /** The client's address (the request's, behind trusted proxies). */
  ip: string;
}

export interface LoginResult {
  accessToken: string;
  user: { id: string; email: string; name: string; role: string };
  /** Set when REQUIRE_2FA holds this admin to enrolment: the token reaches only the 2FA routes. */
  twoFactorEnrolmentRequired?: true;
}

/**
 * A login: throttled per account and address, the same hash work for an unknown account as for
 * a wrong password, the TOTP code when the user has a second factor, and an old hash upgraded
 * to argon2id on success.
 */
@Injectable()
export class LoginService {
  private readonly log = new Logger('Login');

  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly tokens: TokenService,
    private readonly totp: TotpService,
    private readonly config: AppConfig,
  ) {}

  async login(a: LoginAttempt): Promise<LoginResult> {
    const email = a.email.trim().toLowerCase();
    if (Buffer.byteLength(a.password, 'utf8') > PASSWORD_MAX_BYTES)
      throw new DomainError('bad_request', `password: must be at most ${PASSWORD_MAX_BYTES} bytes`);
    const row = await this.users.findForLogin(email);
    const account = { email, generation: row?.tokenVersion ?? 0 };
    await this.throttle.assertAllowed(account, a.ip);
    const ok = row
      ? await this.hasher.verify(row.passwordHash, a.password)
      : await this.hasher.verifyUnknown(a.password);
    if (!row || !ok) {
      await this.throttle.failed(account, a.ip);
      throw new DomainError('unauthorized', 'wrong email or password');
    }
    if (row.totpSecret) await this.checkCode(row, row.totpSecret, a);
    await this.throttle.succeeded(account);
    if (this.hasher.needsRehash(row.passwordHash)) await this.rehash(row, a.password);
    await this.users.recordLogin(row.id);
    const user = { id: row.id, email: row.email, name: row.name, role: row.role };
    const result: LoginResult = {
      accessToken: this.tokens.sign({ ...user, tokenVersion: row.tokenVersion }),
      user,
    };
    if (this.config.env.REQUIRE_2FA && row.role === 'admin' && !row.totpSecret)
      result.twoFactorEnrolmentRequired = true;
    return result;
  }

  /** The second step: a missing code is not a failure (the client asks for it), a wrong one is. */
  private async checkCode(row: LoginRow, encrypted: string, a: LoginAttempt): Promise<void> {
    if (a.code === undefined || a.code === '')
      throw new DomainError(
        'unauthorized',
        'code: this account has a second factor; send {email, password, code} with the 6-digit code of the authenticator app',
        { twoFactorRequired: true },
      );
    const step = await this.totp.check(this.totp.decrypt(encrypted), a.code);
    if (step === null || !(await this.users.useTotpStep(row.id, step))) {
      await this.throttle.failed({ email: row.email, generation: row.tokenVersion }, a.ip);
      throw new DomainError(
        'unauthorized',
        'code: invalid, expired or already used one-time code',
        {
          twoFactorRequired: true,
        },
      );
    }
  }

  /** A bcrypt hash (or argon2 under older parameters) becomes argon2id now that the password is known. */
  private async rehash(row: LoginRow, password: string): Promise<void> {
    try {
      const next = await this.hasher.hash(password);
      await this.users.replacePasswordHash(row.id, row.passwordHash, next);
    } catch (e) {
      // The login itself succeeded; the upgrade is tried again at the next one.
      this.log.warn(`password hash of user ${row.id} not upgraded: ${(e as Error).message}`);
    }
  }
}
