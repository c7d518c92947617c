import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'crypto';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/errors/domain-error';
import { Transactions } from '../database/transactions';
import { DomainEvents } from '../events/domain-events';
import { PasswordHasher } from './password-hasher';
import { passwordProblem } from './password-policy';
import { UsersRepository } from './users.repository';

export interface PasswordReset {
  userId: string;
  email: string;
  /** The user cannot log in until reactivated, new password or not. */
  active: boolean;
  /** Set when no password was given: shown once to whoever asked for the reset. */
  generatedPassword?: string;
}

/** 16 random characters (96 bits): far past the policy's strength bar, and easy to paste. */
export function generatePassword(): string {
  for (;;) {
    const candidate = randomBytes(12).toString('base64url');
    // Random strings pass all but always; a draw that happens to look guessable is drawn again.
    if (!passwordProblem(candidate)) return candidate;
  }
}

/**
 * An operator's reset of a password from the command line (npm run cli -- admin reset-password):
 * the policy holds, every session of the user ends (the token version moves, which also starts
 * the login throttle's count afresh: see LoginThrottle), and the audit log says so.
 */
@Injectable()
export class PasswordResetService {
  private readonly log = new Logger('PasswordReset');

  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
  ) {}

  async reset(input: { email: string; password?: string; actor: string }): Promise<PasswordReset> {
    const email = input.email.trim().toLowerCase();
    const user = await this.users.findByEmail(email);
    if (!user) throw new DomainError('not_found', `email: no user has the e-mail ${email}`);
    const generatedPassword = input.password === undefined ? generatePassword() : undefined;
    const password = input.password ?? generatedPassword!;
    const problem = passwordProblem(password, [email, user.name]);
    if (problem) throw new DomainError('bad_request', problem);
    const hash = await this.hasher.hash(password);
    await this.transactions.run(async (tx) => {
      await this.users.resetPassword(user.id, hash, tx);
      await this.audit.record(
        {
          actorId: null,
          action: 'user.password.reset',
          entityType: 'user',
          entityId: user.id,
          details: { by: input.actor, generated: Boolean(generatedPassword) },
        },
        tx,
      );
    });
    this.log.log(`password of user ${user.id} reset (${input.actor}); sessions ended`);
    this.events.emit('user.sessions.ended', { userId: user.id, reason: 'password-reset' });
    return { userId: user.id, email, active: user.active, generatedPassword };
  }
}
