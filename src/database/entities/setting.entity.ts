import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity('settings')
export class Setting {
  @PrimaryColumn('text') key!: string;
  @Column('text') value!: string;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
