import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { Role } from '../../common/names';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text', { unique: true }) email!: string;
  @Column('text') name!: string;
  @Column('text', { select: false }) passwordHash!: string;
  @Column('text') role!: Role;
  @Column('boolean', { default: true }) active!: boolean;
  @Column('integer', { default: 10 }) capacity!: number;
  /** Bumped by logout and deactivation: tokens signed under an older version stop working. */
  @Column('integer', { default: 0 }) tokenVersion!: number;
  /** The TOTP secret, encrypted (TotpService); null while no second factor is enabled. */
  @Column('text', { select: false, nullable: true }) totpSecret!: string | null;
  /** A secret set up but not yet confirmed with a code, encrypted. */
  @Column('text', { select: false, nullable: true }) totpPending!: string | null;
  /** The last time step a code was accepted for: a code is good once. */
  @Column('bigint', { select: false, nullable: true }) totpLastStep!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
