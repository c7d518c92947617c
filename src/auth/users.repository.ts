import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { preparedQuery } from '../common/prepared-query';
import type { Role } from '../common/names';
import type { Tx } from '../database/transactions';

/** A user as the API shows it. */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  capacity: number;
  twoFactor: boolean;
  createdAt: Date;
  /** null until the user first signs in. */
  lastLoginAt: Date | null;
  /** Generated at first start or set by an admin, and not yet replaced by the user. */
  passwordTemporary: boolean;
}

/** What a request's authentication reads on every call: one primary-key row. */
export interface SessionRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  tokenVersion: number;
  twoFactor: boolean;
}

/** What a login needs: the hash and the encrypted second factor. */
export interface LoginRow extends SessionRow {
  passwordHash: string;
  totpSecret: string | null;
}

export interface TotpRow {
  secret: string | null;
  pending: string | null;
}

export interface UserChanges {
  role?: Role;
  active?: boolean;
  capacity?: number;
}

/** The user after a change, with what it was before (to tell whether the role or state moved). */
export interface ChangedUser extends UserRecord {
  previousRole: Role;
  previousActive: boolean;
  tokenVersion: number;
}

const RECORD = `id, email, name, role, active, capacity, totp_secret IS NOT NULL AS "twoFactor",
  created_at AS "createdAt", last_login_at AS "lastLoginAt", password_temporary AS "passwordTemporary"`;
const SESSION = `id, email, name, role, active, token_version AS "tokenVersion",
  totp_secret IS NOT NULL AS "twoFactor"`;
const SESSION_BY_ID = `SELECT ${SESSION} FROM users WHERE id = $1`;

/** TypeORM answers an UPDATE ... RETURNING as [rows, affected] on PostgreSQL, other statements as rows. */
function returned<T>(result: unknown): T[] {
  const r = result as unknown[];
  return (r.length === 2 && Array.isArray(r[0]) && typeof r[1] === 'number' ? r[0] : r) as T[];
}

/** Every statement on the users table. */
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The new user's id, or null when the e-mail is taken. */
  async insert(u: {
    email: string;
    name: string;
    passwordHash: string;
    role: Role;
    capacity: number;
    passwordTemporary: boolean;
  }): Promise<string | null> {
    const rows = (await this.db.query(
      `INSERT INTO users (email, name, password_hash, role, capacity, password_temporary)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (email) DO NOTHING RETURNING id`,
      [u.email, u.name, u.passwordHash, u.role, u.capacity, u.passwordTemporary],
    )) as Array<{ id: string }>;
    return rows[0]?.id ?? null;
  }

  async findById(id: string): Promise<UserRecord | null> {
    const rows = (await this.db.query(`SELECT ${RECORD} FROM users WHERE id = $1`, [
      id,
    ])) as UserRecord[];
    return rows[0] ?? null;
  }

  async findByEmail(email: string): Promise<UserRecord | null> {
    const rows = (await this.db.query(`SELECT ${RECORD} FROM users WHERE email = $1`, [
      email,
    ])) as UserRecord[];
    return rows[0] ?? null;
  }

  async existsByEmail(email: string): Promise<boolean> {
    const rows = (await this.db.query(`SELECT 1 FROM users WHERE email = $1`, [
      email,
    ])) as unknown[];
    return rows.length > 0;
  }

  list(): Promise<UserRecord[]> {
    return this.db.query(`SELECT ${RECORD} FROM users ORDER BY created_at`) as Promise<
      UserRecord[]
    >;
  }

  /** Read on every authenticated request: prepared, one primary-key probe. */
  async sessionOf(id: string): Promise<SessionRow | null> {
    const rows = await preparedQuery<SessionRow>(this.db, SESSION_BY_ID, [id]);
    return rows[0] ?? null;
  }

  /** An active user by e-mail, with the password hash and the encrypted second factor. */
  async findForLogin(email: string): Promise<LoginRow | null> {
    const rows = (await this.db.query(
      `SELECT ${SESSION}, password_hash AS "passwordHash", totp_secret AS "totpSecret"
         FROM users WHERE email = $1 AND active`,
      [email],
    )) as LoginRow[];
    return rows[0] ?? null;
  }

  /** Replaces the hash only if it is still the one read (a concurrent change wins). */
  async replacePasswordHash(id: string, previous: string, next: string): Promise<boolean> {
    const rows = returned(
      await this.db.query(
        `UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2 RETURNING 1`,
        [id, previous, next],
      ),
    );
    return rows.length > 0;
  }

  /**
   * A new password hash; every token of the user ends with it (the version moves). False when
   * there is no such user.
   */
  async setPassword(id: string, hash: string, temporary: boolean): Promise<boolean> {
    const rows = returned(
      await this.db.query(
        `UPDATE users SET password_hash = $2, password_temporary = $3,
           token_version = token_version + 1, updated_at = now() WHERE id = $1 RETURNING 1`,
        [id, hash, temporary],
      ),
    );
    return rows.length > 0;
  }

  async recordLogin(id: string): Promise<void> {
    await this.db.query(`UPDATE users SET last_login_at = now() WHERE id = $1`, [id]);
  }

  /** The password hash of an active user, for a change that must prove the current one. */
  async passwordHashOf(id: string): Promise<string | null> {
    const rows = (await this.db.query(
      `SELECT password_hash AS "hash" FROM users WHERE id = $1 AND active`,
      [id],
    )) as Array<{ hash: string }>;
    return rows[0]?.hash ?? null;
  }

  /** A new password hash and a new token version (every token ends), in the caller's transaction. */
  async resetPassword(id: string, passwordHash: string, tx: Tx): Promise<number | null> {
    const rows = returned<{ tokenVersion: number }>(
      await tx.query(
        `UPDATE users SET password_hash = $2, token_version = token_version + 1, updated_at = now()
          WHERE id = $1 RETURNING token_version AS "tokenVersion"`,
        [id, passwordHash],
      ),
    );
    return rows[0]?.tokenVersion ?? null;
  }

  /** Ends every token of the user: the new version. */
  async bumpTokenVersion(id: string): Promise<number | null> {
    const rows = returned<{ tokenVersion: number }>(
      await this.db.query(
        `UPDATE users SET token_version = token_version + 1, updated_at = now() WHERE id = $1
         RETURNING token_version AS "tokenVersion"`,
        [id],
      ),
    );
    return rows[0]?.tokenVersion ?? null;
  }

  /**
   * Role, state and capacity; deactivation also bumps the token version (a later reactivation
   * does not revive old tokens). Refused (null with lastAdmin) when it would leave no active
   * admin: the active admins are locked first, so two admins demoting each other cannot both win.
   */
  async update(
    id: string,
    c: UserChanges,
  ): Promise<{ user: ChangedUser | null; lastAdmin: boolean }> {
    return this.db.transaction(async (m) => {
      const admins = (await m.query(
        `SELECT id FROM users WHERE role = 'admin' AND active ORDER BY id FOR UPDATE`,
      )) as Array<{ id: string }>;
      const losesAdmin =
        admins.some((a) => a.id === id) &&
        ((c.role !== undefined && c.role !== 'admin') || c.active === false);
      if (losesAdmin && admins.length === 1) return { user: null, lastAdmin: true };
      const list = returned<ChangedUser>(
        await m.query(
          `WITH old AS (SELECT id, role, active FROM users WHERE id = $1 FOR UPDATE)
         UPDATE users u SET
           role = COALESCE($2, u.role),
           active = COALESCE($3, u.active),
           capacity = COALESCE($4, u.capacity),
           token_version = u.token_version + CASE WHEN $3 = false AND old.active THEN 1 ELSE 0 END,
           updated_at = now()
         FROM old WHERE u.id = old.id
         RETURNING u.id, u.email, u.name, u.role, u.active, u.capacity,
           u.totp_secret IS NOT NULL AS "twoFactor", u.created_at AS "createdAt",
           u.last_login_at AS "lastLoginAt", u.password_temporary AS "passwordTemporary",
           u.token_version AS "tokenVersion", old.role AS "previousRole",
           old.active AS "previousActive"`,
          [id, c.role ?? null, c.active ?? null, c.capacity ?? null],
        ),
      );
      return { user: list[0] ?? null, lastAdmin: false };
    });
  }

  async totpOf(id: string): Promise<TotpRow | null> {
    const rows = (await this.db.query(
      `SELECT totp_secret AS secret, totp_pending AS pending FROM users WHERE id = $1`,
      [id],
    )) as TotpRow[];
    return rows[0] ?? null;
  }

  async setTotpPending(id: string, encrypted: string): Promise<void> {
    await this.db.query(`UPDATE users SET totp_pending = $2 WHERE id = $1`, [id, encrypted]);
  }

  /** The pending secret becomes the factor, if it is still the one the code was checked against. */
  async enableTotp(id: string, pending: string, step: number): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE users SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = $3,
         updated_at = now()
       WHERE id = $1 AND totp_pending = $2 AND totp_secret IS NULL RETURNING 1`,
      [id, pending, step],
    );
    return returned(rows).length > 0;
  }

  async disableTotp(id: string): Promise<void> {
    await this.db.query(
      `UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_last_step = NULL,
         updated_at = now() WHERE id = $1`,
      [id],
    );
  }

  /**
   * Records that a code of this time step was used; false when that step or a later one was
   * used already (a replayed code), atomically across instances.
   */
  async useTotpStep(id: string, step: number): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE users SET totp_last_step = $2
       WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING 1`,
      [id, step],
    );
    return returned(rows).length > 0;
  }
}
