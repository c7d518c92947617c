import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { Attachment } from '../../channels/channel-port';
import type { Channel, DeliveryStatus, Direction, MessageKind } from '../../common/names';

/** One item of a customer's timeline: a message, note, call or event, on any channel. */
@Entity('messages')
export class Message {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** Insertion order: the keyset for timeline pages. */
  /** GENERATED ALWAYS AS IDENTITY in the migration. */
  @Column({ type: 'bigint', unique: true, insert: false, update: false })
  seq!: string;
  @Column('uuid') customerId!: string;
  @Column('uuid', { nullable: true }) conversationId!: string | null;
  @Column('text') direction!: Direction;
  @Column('text') kind!: MessageKind;
  @Column('text', { nullable: true }) channel!: Channel | null;
  @Column('text') status!: DeliveryStatus;
  @Column('text', { default: '' }) text!: string;
  @Column('text', { nullable: true }) html!: string | null;
  @Column('text', { nullable: true }) subject!: string | null;
  @Column('jsonb', { default: [] }) attachments!: Attachment[];
  @Column('text', { nullable: true }) address!: string | null;
  @Column('text', { nullable: true }) providerMessageId!: string | null;
  @Column('uuid', { nullable: true }) authorId!: string | null;
  @Column('text', { nullable: true }) idempotencyKey!: string | null;
  @Column('text', { nullable: true }) topic!: string | null;
  @Column('text', { nullable: true }) urgency!: string | null;
  @Column('text', { nullable: true }) purpose!: string | null;
  @Column('text', { nullable: true }) template!: string | null;
  @Column('jsonb', { nullable: true }) templateData!: Record<string, unknown> | null;
  @Column('jsonb', { nullable: true }) route!: Record<string, unknown> | null;
  @Column('jsonb', { default: {} }) metadata!: Record<string, unknown>;
  @Column('boolean', { default: false }) autoReply!: boolean;
  @Column('timestamptz', { nullable: true }) sendAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
