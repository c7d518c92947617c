import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export interface PreferenceRow {
  topic: string;
  urgency: string;
  channels: string[];
}
export interface CustomerPreferences {
  matrix: PreferenceRow[];
  quietHours: { start: string; end: string } | null;
}

@Entity('customers')
export class Customer {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') displayName!: string;
  @Column('text', { default: 'en' }) locale!: string;
  @Column('text', { default: 'UTC' }) timezone!: string;
  @Column('jsonb', { default: {} }) attributes!: Record<string, unknown>;
  @Column('text', { array: true, default: [] }) tags!: string[];
  @Column('text', { nullable: true }) tier!: string | null;
  @Column('jsonb') preferences!: CustomerPreferences;
  @Column('uuid', { nullable: true }) mergedIntoId!: string | null;
  @Column('timestamptz', { nullable: true }) erasedAt!: Date | null;
  @Column('timestamptz', { nullable: true }) lastContactAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
