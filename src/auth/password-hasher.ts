import { Injectable, type OnModuleInit } from '@nestjs/common';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { randomBytes } from 'crypto';
import pLimit from 'p-limit';

/**
 * argon2id at OWASP's minimum (19 MiB, 2 passes, 1 lane). The hash runs on a libuv thread, not
 * on the event loop; at most HASHES_AT_ONCE run together so a burst of logins leaves the rest of
 * the thread pool (4 threads: file and DNS work) free.
 */
const PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const HASHES_AT_ONCE = 2;
const ARGON2ID = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/;
const BCRYPT = /^\$2[aby]\$/;

/** Password hashes: argon2id for new ones; bcrypt hashes of older releases still verify. */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private readonly limit = pLimit(HASHES_AT_ONCE);
  /** A hash of nothing anyone knows: an unknown account is verified against it. */
  private dummy: Promise<string> | null = null;

  /** Made at start (on a libuv thread), so the first unknown account costs no more than later ones. */
  onModuleInit(): void {
    this.dummy = this.hash(randomBytes(24).toString('base64url'));
  }

  hash(password: string): Promise<string> {
    return this.limit(() => argon2Hash(password, PARAMS));
  }

  /** Whether the password matches the stored hash (argon2 or legacy bcrypt); false for anything else. */
  async verify(stored: string, password: string): Promise<boolean> {
    if (stored.startsWith('$argon2'))
      return this.limit(() => argon2Verify(stored, password).catch(() => false));
    if (BCRYPT.test(stored)) return bcrypt.compare(password, stored);
    return false;
  }

  /**
   * The same work as a real verification, for an e-mail no active user has: the answer takes
   * as long as a wrong password's, so timing does not tell which accounts exist. Always false.
   */
  async verifyUnknown(password: string): Promise<false> {
    this.dummy ??= this.hash(randomBytes(24).toString('base64url'));
    await this.verify(await this.dummy, password);
    return false;
  }

  /** A legacy bcrypt hash, or argon2 under other parameters: rehashed at the next good login. */
  needsRehash(stored: string): boolean {
    const m = ARGON2ID.exec(stored);
    return (
      !m ||
      Number(m[1]) !== PARAMS.memoryCost ||
      Number(m[2]) !== PARAMS.timeCost ||
      Number(m[3]) !== PARAMS.parallelism
    );
  }
}
