import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JsonWebTokenError, JwtService } from '@nestjs/jwt';
import { createSecretKey, randomBytes, type KeyObject } from 'crypto';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { SettingsService } from '../settings/settings.service';
import type { Role } from '../common/names';
import type { AuthUser } from './auth.decorators';
import { UsersRepository } from './users.repository';

interface Claims {
  sub: string;
  email: string;
  name: string;
  role: Role;
  /** The user's token_version when signed; a token without one was signed under version 0. */
  ver?: number;
  typ?: string;
  exp?: number;
}

/** Most user tokens remembered as checked (a few per signed-in agent or API client). */
const CHECKED_MAX = 10_000;

/** A token refused for what its user's row says now: 401 naming why. */
const refused = (why: string) => new DomainError('unauthorized', `token refused: ${why}`);

/** Signs and checks tokens with JWT_SECRET, or with a secret generated once and shared through the database. */
@Injectable()
export class TokenService implements OnModuleInit {
  // A KeyObject: given a string, jsonwebtoken tries to parse it as a public key on every call.
  private secret!: KeyObject;
  /**
   * Signatures already checked, until the token expires: the signature check and claim parsing
   * cost more than the rest of a request's authentication, and a client sends the same token
   * each time. Only the signature is remembered: whether the user may still use it is read from
   * the user's row on every call.
   */
  private readonly checked = new Map<string, { claims: Claims; expiresAt: number }>();

  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly settings: SettingsService,
    private readonly users: UsersRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    const raw =
      this.config.env.JWT_SECRET ??
      (await this.settings.getOrCreate('jwt_secret', () => randomBytes(32).toString('base64url')));
    this.secret = createSecretKey(Buffer.from(raw));
  }

  /** A user token under the user's current token version (logout and deactivation bump it). */
  sign(user: AuthUser & { tokenVersion?: number }): string {
    const claims: Claims = {
      sub: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      ver: user.tokenVersion ?? 0,
    };
    return this.jwt.sign(claims, {
      secret: this.secret as never,
      expiresIn: this.config.env.JWT_TTL as never,
    });
  }

  /**
   * The user a token stands for, as the user's row says now: refused when the signature or
   * expiry is wrong, the user is gone or inactive, or the token predates the user's last logout
   * or deactivation. Role, name and e-mail are read from the row, so a role change applies to
   * the next request. One primary-key read per call (prepared), so every instance agrees at once.
   */
  async verify(token: string): Promise<AuthUser> {
    const claims = this.claimsOf(token);
    const row = await this.users.sessionOf(claims.sub);
    if (!row) throw refused('its user no longer exists');
    if (!row.active) throw refused('the user is deactivated');
    if (row.tokenVersion !== (claims.ver ?? 0))
      throw refused('revoked by a logout or deactivation; log in again');
    const user: AuthUser = { id: row.id, email: row.email, name: row.name, role: row.role };
    if (this.config.env.REQUIRE_2FA && row.role === 'admin' && !row.twoFactor)
      user.enrolmentOnly = true;
    return user;
  }

  private claimsOf(token: string): Claims {
    const hit = this.checked.get(token);
    if (hit !== undefined && Date.now() < hit.expiresAt) return hit.claims;
    const c = this.jwt.verify<Claims>(token, { secret: this.secret as never });
    if (c.typ) throw new JsonWebTokenError('not a user token');
    if (c.exp !== undefined) {
      this.checked.delete(token);
      if (this.checked.size >= CHECKED_MAX)
        this.checked.delete(this.checked.keys().next().value as string);
      this.checked.set(token, { claims: c, expiresAt: c.exp * 1000 });
    }
    return c;
  }

  /** Signs any other claims (visitor tokens, tracking links) with the same secret and a type. */
  signTyped(typ: string, payload: Record<string, unknown>, expiresIn?: string): string {
    return this.jwt.sign(
      { ...payload, typ },
      { secret: this.secret as never, ...(expiresIn ? { expiresIn: expiresIn as never } : {}) },
    );
  }

  verifyTyped<T extends object>(typ: string, token: string): T {
    const c = this.jwt.verify<T & { typ?: string }>(token, { secret: this.secret as never });
    if (c.typ !== typ) throw new Error(`not a ${typ} token`);
    return c;
  }
}
