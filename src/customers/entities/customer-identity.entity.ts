import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { AddressKind } from '../../common/names';

export type IdentityStatus = 'active' | 'undeliverable' | 'bounced';

@Entity('customer_identities')
@Unique('customer_identities_kind_address', ['kind', 'address'])
export class CustomerIdentity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') customerId!: string;
  @Column('text') kind!: AddressKind;
  /** The channel the address was first seen on; a phone serves sms and voice whatever this says. */
  @Column('text') channel!: string;
  @Column('text') address!: string;
  @Column('text', { default: 'active' }) status!: IdentityStatus;
  @Column('text', { nullable: true }) statusReason!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
