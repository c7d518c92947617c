import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import bcrypt from 'bcryptjs';
import type { Repository } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import type { Role } from '../common/names';
import { User } from './entities/user.entity';

export interface NewUser {
  email: string;
  name: string;
  password: string;
  role: Role;
  capacity?: number;
}

const BCRYPT_ROUNDS = 10;

@Injectable()
export class UsersService {
  private readonly log = new Logger('Users');

  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  async create(input: NewUser): Promise<User> {
    const email = input.email.trim().toLowerCase();
    const passwordHash = await bcrypt.hash(input.password, BCRYPT_ROUNDS);
    const rows = (await this.users.query(
      `INSERT INTO users (email, name, password_hash, role, capacity) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (email) DO NOTHING RETURNING id`,
      [email, input.name, passwordHash, input.role, input.capacity ?? 10],
    )) as Array<{ id: string }>;
    if (rows.length === 0)
      throw new DomainError('conflict', `email: a user with ${email} already exists`);
    return this.get(rows[0].id);
  }

  async get(id: string): Promise<User> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw new DomainError('not_found', `user ${id} not found`);
    return user;
  }

  list(): Promise<User[]> {
    return this.users.find({ order: { createdAt: 'ASC' } });
  }

  /** The user when the password matches, else null (same answer for unknown e-mail and wrong password). */
  async checkPassword(email: string, password: string): Promise<User | null> {
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email AND u.active', { email: email.trim().toLowerCase() })
      .getOne();
    if (!user || !(await bcrypt.compare(password, user.passwordHash))) return null;
    return user;
  }

  /** Creates the first admin when missing; says on stdout how to log in when the password was generated. */
  async ensureAdmin(email: string, password: string, generated: boolean): Promise<void> {
    const exists = await this.users.existsBy({ email });
    if (exists) return;
    try {
      await this.create({ email, name: 'Administrator', password, role: 'admin' });
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
}
