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

@Injectable()
export class UsersService {
  private readonly log = new Logger('Users');

  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly events: DomainEvents,
  ) {}

  /** A user created through the API: the password must pass the policy (length, bytes, strength). */
  async create(input: NewUser): Promise<UserRecord> {
    const email = input.email.trim().toLowerCase();
    const problem = passwordProblem(input.password, [email, input.name]);
    if (problem) throw new DomainError('bad_request', problem);
    return this.insert({ ...input, email });
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

  private sessionsEnded(userId: string, reason: 'logout' | 'deactivated' | 'role-changed'): void {
    this.log.log(`sessions of user ${userId} ended: ${reason}`);
    this.events.emit('user.sessions.ended', { userId, reason });
  }

  /** Creates the first admin when missing; says on stdout how to log in when the password was generated. */
  async ensureAdmin(email: string, password: string, generated: boolean): Promise<void> {
    if (await this.users.existsByEmail(email)) return;
    try {
      // ADMIN_PASSWORD's length is checked with the configuration; the operator chose it.
      await this.insert({ email, name: 'Administrator', password, role: 'admin' });
    } catch (e) {
      if (e instanceof DomainError && e.code === 'conflict') return; // another instance made it
      throw e;
    }
    this.log.log(`created the first admin user`);
    if (generated) {
      // Printed, not logged: the logger redacts e-mail addresses and passwords on purpose.
      process.stdout.write(
        `\n  Admin login: ${email} / ${password}\n  (set ADMIN_EMAIL and ADMIN_PASSWORD to choose them)\n\n`,
      );
    }
  }

  private async insert(input: NewUser): Promise<UserRecord> {
    const id = await this.users.insert({
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
