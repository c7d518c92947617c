import { randomBytes } from 'crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import type { Role } from '../common/names';
import { DomainEvents } from '../events/domain-events';
import { PasswordHasher } from './password-hasher';
import { passwordProblem } from './password-policy';
import { UsersRepository, type UserChanges, type UserRecord } from './users.repository';

export interface NewUser {
  email: string;
  name: string;
  password: string;
  role: Role;
  capacity?: number;
}

/** An invitation: without a password, one is generated and shown to the admin this once. */
export interface InvitedUser extends Omit<NewUser, 'password'> {
  password?: string;
}

type SessionEndReason = 'logout' | 'deactivated' | 'role-changed' | 'password-reset';

/** 16 URL-safe characters from 96 random bits: well past the policy's strength score. */
export function temporaryPassword(): string {
  return randomBytes(12).toString('base64url');
}

@Injectable()
export class UsersService {
  private readonly log = new Logger('Users');

  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly events: DomainEvents,
  ) {}

  /**
   * A user created through the API: a given password must pass the policy (length, bytes,
   * strength); without one a temporary password is generated and returned this once.
   */
  async create(input: InvitedUser): Promise<UserRecord & { temporaryPassword?: string }> {
    const email = input.email.trim().toLowerCase();
    if (input.password === undefined) {
      const password = temporaryPassword();
      const user = await this.insert({ ...input, email, password }, true);
      return { ...user, temporaryPassword: password };
    }
    const problem = passwordProblem(input.password, [email, input.name]);
    if (problem) throw new DomainError('bad_request', problem);
    return this.insert({ ...input, email, password: input.password });
  }

  /**
   * An admin sets a temporary password (given, or generated and returned this once); every
   * session of the user ends.
   */
  async resetPassword(id: string, given?: string): Promise<{ temporaryPassword: string }> {
    const user = await this.get(id);
    const password = given ?? temporaryPassword();
    const problem = passwordProblem(password, [user.email, user.name]);
    if (problem) throw new DomainError('bad_request', problem);
    await this.users.setPassword(id, await this.hasher.hash(password), true);
    this.sessionsEnded(id, 'password-reset');
    return { temporaryPassword: password };
  }

  /**
   * The user replaces their own password, proving the current one; it is no longer temporary.
   * Every session ends (the client signs in again with the new one).
   */
  async changeOwnPassword(id: string, current: string, next: string): Promise<void> {
    const user = await this.get(id);
    const hash = await this.users.passwordHashOf(id);
    if (hash === null || !(await this.hasher.verify(hash, current)))
      throw new DomainError('bad_request', 'currentPassword: does not match');
    const problem = passwordProblem(next, [user.email, user.name]);
    if (problem)
      throw new DomainError('bad_request', problem.replace(/^password:/, 'newPassword:'));
    await this.users.setPassword(id, await this.hasher.hash(next), false);
    this.sessionsEnded(id, 'password-reset');
  }

  async get(id: string): Promise<UserRecord> {
    const user = await this.users.findById(id);
    if (!user) throw new DomainError('not_found', `user ${id} not found`);
    return user;
  }

  list(): Promise<UserRecord[]> {
    return this.users.list();
  }

  /**
   * Role, state and capacity, effective on the user's next request (the guard reads them from
   * the row). Deactivation also ends the user's tokens; deactivation and a role change close the
   * user's open /agents sockets on every instance (a reconnect joins the rooms of the new role).
   */
  async update(id: string, changes: UserChanges): Promise<UserRecord> {
    const { user, lastAdmin } = await this.users.update(id, changes);
    if (lastAdmin)
      throw new DomainError(
        'conflict',
        'this is the last active admin: make another user admin before demoting or deactivating this one',
      );
    if (!user) throw new DomainError('not_found', `user ${id} not found`);
    const { previousRole, previousActive, tokenVersion: _version, ...view } = user;
    if (previousActive && !user.active) this.sessionsEnded(id, 'deactivated');
    else if (previousRole !== user.role) this.sessionsEnded(id, 'role-changed');
    return view;
  }

  /** Logout: every token of the user stops working (all devices) and the user's sockets close. */
  async endSessions(id: string): Promise<void> {
    await this.users.bumpTokenVersion(id);
    this.sessionsEnded(id, 'logout');
  }

  private sessionsEnded(userId: string, reason: SessionEndReason): void {
    this.log.log(`sessions of user ${userId} ended: ${reason}`);
    this.events.emit('user.sessions.ended', { userId, reason });
  }

  /**
   * Creates the first admin when missing; true when this call created it. A generated password
   * is marked temporary (the first-run checklist asks for a new one).
   */
  async ensureAdmin(email: string, password: string, generated = false): Promise<boolean> {
    if (await this.users.existsByEmail(email)) return false;
    try {
      // ADMIN_PASSWORD's length is checked with the configuration; the operator chose it.
      await this.insert({ email, name: 'Administrator', password, role: 'admin' }, generated);
    } catch (e) {
      if (e instanceof DomainError && e.code === 'conflict') return false; // another instance made it
      throw e;
    }
    this.log.log(`created the first admin user`);
    return true;
  }

  private async insert(input: NewUser, passwordTemporary = false): Promise<UserRecord> {
    const id = await this.users.insert({
      passwordTemporary,
      email: input.email,
      name: input.name,
      passwordHash: await this.hasher.hash(input.password),
      role: input.role,
      capacity: input.capacity ?? 10,
    });
    if (id === null)
      throw new DomainError('conflict', `email: a user with ${input.email} already exists`);
    return this.get(id);
  }
}
