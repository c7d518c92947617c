import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createSecretKey, randomBytes, type KeyObject } from 'crypto';
import { AppConfig } from '../config/app-config';
import { SettingsService } from '../settings/settings.service';
import type { Role } from '../common/names';
import type { AuthUser } from './auth.decorators';

interface Claims {
  sub: string;
  email: string;
  name: string;
  role: Role;
  typ?: string;
  exp?: number;
}

/** Most user tokens remembered as checked (a few per signed-in agent or API client). */
const CHECKED_MAX = 10_000;

/** Signs and checks tokens with JWT_SECRET, or with a secret generated once and shared through the database. */
@Injectable()
export class TokenService implements OnModuleInit {
  // A KeyObject: given a string, jsonwebtoken tries to parse it as a public key on every call.
  private secret!: KeyObject;
  /**
   * User tokens already checked, until they expire: the signature check and claim parsing cost
   * more than the rest of a request's authentication, and a client sends the same token each time.
   */
  private readonly checked = new Map<string, { user: AuthUser; expiresAt: number }>();

  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly settings: SettingsService,
  ) {}

  async onModuleInit(): Promise<void> {
    const raw =
      this.config.env.JWT_SECRET ??
      (await this.settings.getOrCreate('jwt_secret', () => randomBytes(32).toString('base64url')));
    this.secret = createSecretKey(Buffer.from(raw));
  }

  sign(user: AuthUser): string {
    const claims: Claims = { sub: user.id, email: user.email, name: user.name, role: user.role };
    return this.jwt.sign(claims, {
      secret: this.secret as never,
      expiresIn: this.config.env.JWT_TTL as never,
    });
  }

  verify(token: string): AuthUser {
    const hit = this.checked.get(token);
    if (hit !== undefined && Date.now() < hit.expiresAt) return { ...hit.user };
    const c = this.jwt.verify<Claims>(token, { secret: this.secret as never });
    if (c.typ) throw new Error('not a user token');
    const user: AuthUser = { id: c.sub, email: c.email, name: c.name, role: c.role };
    if (c.exp !== undefined) {
      this.checked.delete(token);
      if (this.checked.size >= CHECKED_MAX)
        this.checked.delete(this.checked.keys().next().value as string);
      this.checked.set(token, { user: { ...user }, expiresAt: c.exp * 1000 });
    }
    return user;
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
