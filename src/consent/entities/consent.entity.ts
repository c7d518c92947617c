import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Channel, ConsentStatus, Purpose } from '../../common/names';

/** One row of the append-only consent ledger. */
@Entity('consents')
export class Consent {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** GENERATED ALWAYS AS IDENTITY in the migration. */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;
  @Column('uuid') customerId!: string;
  @Column('text') channel!: Channel;
  @Column('text') purpose!: Purpose;
  @Column('text') status!: ConsentStatus;
  @Column('text') source!: string;
  @Column('jsonb', { nullable: true }) evidence!: Record<string, unknown> | null;
  @Column('uuid', { nullable: true }) actorId!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
