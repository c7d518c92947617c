import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** What a sandbox transport "sent": visible through GET /api/v1/sandbox/outbox. */
@Entity('sandbox_outbox')
export class SandboxSend {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** GENERATED ALWAYS AS IDENTITY in the migration. */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;
  @Column('text') channel!: string;
  @Column('text') toAddress!: string;
  @Column('text', { nullable: true }) fromAddress!: string | null;
  @Column('text', { nullable: true }) subject!: string | null;
  @Column('text') text!: string;
  @Column('text', { nullable: true }) html!: string | null;
  @Column('uuid', { nullable: true }) messageId!: string | null;
  @Column('text') providerMessageId!: string;
  @Column('jsonb', { default: {} }) payload!: Record<string, unknown>;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
