import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('attachments')
export class StoredAttachment {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { nullable: true }) messageId!: string | null;
  @Column('text') filename!: string;
  @Column('text') contentType!: string;
  @Column('integer') size!: number;
  @Column('bytea', { nullable: true, select: false }) content!: Buffer | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
