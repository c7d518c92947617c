import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { Channel, ConversationStatus, Urgency } from '../../common/names';

@Entity('conversations')
export class Conversation {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') customerId!: string;
  @Column('text', { default: 'open' }) status!: ConversationStatus;
  @Column('text', { default: 'normal' }) priority!: Urgency;
  @Column('uuid', { nullable: true }) assigneeId!: string | null;
  @Column('uuid', { nullable: true }) teamId!: string | null;
  @Column('text', { nullable: true }) subject!: string | null;
  @Column('text', { nullable: true }) lastChannel!: Channel | null;
  @Column('text', { nullable: true }) lastInboundChannel!: Channel | null;
  @Column('timestamptz', { nullable: true }) lastMessageAt!: Date | null;
  @Column('text', { nullable: true }) lastMessagePreview!: string | null;
  @Column('timestamptz', { nullable: true }) snoozedUntil!: Date | null;
  @Column('timestamptz', { nullable: true }) firstResponseAt!: Date | null;
  @Column('timestamptz', { nullable: true }) resolvedAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
