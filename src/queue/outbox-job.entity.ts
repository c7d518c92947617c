import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export type OutboxJobStatus = 'pending' | 'running' | 'done' | 'failed';

/** Every queued job is first a row here, so a crash or a lost queue never loses work. */
@Entity('outbox_jobs')
export class OutboxJob {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') queue!: string;
  @Column('text') name!: string;
  @Column('jsonb', { default: {} }) payload!: Record<string, unknown>;
  @Column('text', { nullable: true, unique: true }) dedupeKey!: string | null;
  @Column('text', { default: 'pending' }) status!: OutboxJobStatus;
  @Column('timestamptz') runAt!: Date;
  @Column('timestamptz', { nullable: true }) lockedUntil!: Date | null;
  @Column('integer', { default: 0 }) attempts!: number;
  @Column('integer', { default: 5 }) maxAttempts!: number;
  @Column('text', { nullable: true }) lastError!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
