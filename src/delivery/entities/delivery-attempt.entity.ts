import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { SendErrorClass } from '../../channels/channel-port';
import type { AttemptStatus, Channel } from '../../common/names';

@Entity('delivery_attempts')
export class DeliveryAttempt {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') messageId!: string;
  @Column('integer') attemptNo!: number;
  @Column('text') channel!: Channel;
  @Column('text', { nullable: true }) address!: string | null;
  /** `sending` while its provider call is under way (marked before it, committed). */
  @Column('text') status!: AttemptStatus;
  @Column('text', { nullable: true }) errorClass!: SendErrorClass | null;
  @Column('text', { nullable: true }) errorCode!: string | null;
  @Column('text', { nullable: true }) error!: string | null;
  @Column('text', { nullable: true }) providerMessageId!: string | null;
  @Column('jsonb', { nullable: true }) details!: Record<string, unknown> | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
