import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

type Row = Record<string, unknown>;

/** An address (of a kind: email, phone, wechat) and the customer it belongs to. */
export interface IdentityOwner {
  kind: string;
  address: string;
  customerId: string;
}

/** Who owns which addresses: the duplicate check of imports. */
@Injectable()
export class IdentityOwnersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The customers the given (kind, address) pairs already belong to; unowned ones have none. */
  async ownersOf(identities: ReadonlyArray<{ kind: string; address: string }>) {
    const rows = (await this.db.query(
      `SELECT i.kind, i.address, i.customer_id FROM customer_identities i JOIN unnest($1::text[], $2::text[]) AS u(kind, address) ON u.kind = i.kind AND u.address = i.address`,
      [identities.map((i) => i.kind), identities.map((i) => i.address)],
    )) as Row[];
    return rows.map(identityOwner);
  }
}

function identityOwner(r: Row): IdentityOwner {
  return {
    kind: r.kind as string,
    address: r.address as string,
    customerId: r.customer_id as string,
  };
}
