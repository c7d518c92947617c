import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export type ClaimKind = 'email' | 'phone' | 'external';
export type ClaimStatus = 'unverified' | 'verified';

/** A row of livechat_identity_claims. */
export interface ClaimRow {
  id: string;
  visitor_id: string;
  customer_id: string;
  kind: ClaimKind;
  address: string;
  claimed_name: string | null;
  status: ClaimStatus;
  owner_customer_id: string | null;
  code_hash: string | null;
  code_expires_at: Date | null;
  attempts: number;
  codes_sent: number;
  created_at: Date;
  verified_at: Date | null;
}

/** A claim as agents see it (GET /customers/:id/identity-claims). */
export interface ClaimView {
  id: string;
  kind: ClaimKind;
  address: string;
  name: string | null;
  verified: boolean;
  /** The visitor's own customer (who claimed). */
  customerId: string;
  /** The customer holding the address, the one a code was sent to. */
  ownerCustomerId: string | null;
  createdAt: string;
  verifiedAt: string | null;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/** Every statement on livechat_identity_claims, and the identity reads the chat's trust needs. */
@Injectable()
export class IdentityClaimsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The customer holding an identity (kind as customer_identities keys it), if any. */
  async identityOwner(
    kind: 'email' | 'phone' | 'livechat',
    address: string,
  ): Promise<string | null> {
    const rows = (await this.db.query(
      `SELECT customer_id FROM customer_identities WHERE kind = $1 AND address = $2`,
      [kind, address],
    )) as Array<{ customer_id: string }>;
    return rows[0]?.customer_id ?? null;
  }

  /**
   * The visitor ids (live-chat identities) of the customer holding live-chat address `address`:
   * the sockets a reply to that customer may reach. Only a verified link puts a visitor there.
   */
  async visitorsOfCustomerOf(address: string): Promise<string[]> {
    const rows = (await this.db.query(
      `SELECT o.address FROM customer_identities i
       JOIN customer_identities o ON o.customer_id = i.customer_id AND o.kind = 'livechat'
       WHERE i.kind = 'livechat' AND i.address = $1`,
      [address],
    )) as Array<{ address: string }>;
    return rows.map((r) => r.address);
  }

  /** Moves one visitor's live-chat identity to another customer (its messages stay). */
  async moveVisitor(visitorId: string, toCustomerId: string): Promise<void> {
    await this.db.query(
      `UPDATE customer_identities SET customer_id = $2 WHERE kind = 'livechat' AND address = $1`,
      [visitorId, toCustomerId],
    );
  }

  /** Records (or refreshes) what a visitor claims; a verified claim stays verified. */
  async record(input: {
    visitorId: string;
    customerId: string;
    kind: ClaimKind;
    address: string;
    name: string | null;
  }): Promise<ClaimRow> {
    const rows = (await this.db.query(
      `INSERT INTO livechat_identity_claims (visitor_id, customer_id, kind, address, claimed_name)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (visitor_id, kind, address) DO UPDATE
         SET customer_id = EXCLUDED.customer_id,
             claimed_name = COALESCE(EXCLUDED.claimed_name, livechat_identity_claims.claimed_name),
             updated_at = now()
       RETURNING *`,
      [input.visitorId, input.customerId, input.kind, input.address, input.name],
    )) as ClaimRow[];
    return rows[0];
  }

  async markVerified(claimId: string, ownerCustomerId: string | null): Promise<void> {
    await this.db.query(
      `UPDATE livechat_identity_claims
       SET status = 'verified', owner_customer_id = COALESCE($2, owner_customer_id), verified_at = now(),
           code_hash = NULL, code_expires_at = NULL, updated_at = now()
       WHERE id = $1`,
      [claimId, ownerCustomerId],
    );
  }

  /** Stores a new code's hash (the code itself is never stored), resetting the attempts. */
  async storeCode(
    claimId: string,
    ownerCustomerId: string,
    codeHash: string,
    expiresAt: Date,
  ): Promise<void> {
    await this.db.query(
      `UPDATE livechat_identity_claims
       SET owner_customer_id = $2, code_hash = $3, code_expires_at = $4, attempts = 0,
           codes_sent = codes_sent + 1, updated_at = now()
       WHERE id = $1`,
      [claimId, ownerCustomerId, codeHash, expiresAt],
    );
  }

  /** The visitor's claim awaiting a code (the one whose code was sent last). */
  async pendingCode(visitorId: string): Promise<ClaimRow | null> {
    const rows = (await this.db.query(
      `SELECT * FROM livechat_identity_claims
       WHERE visitor_id = $1 AND status = 'unverified' AND code_hash IS NOT NULL
       ORDER BY updated_at DESC LIMIT 1`,
      [visitorId],
    )) as ClaimRow[];
    return rows[0] ?? null;
  }

  /**
   * Uses up one attempt before the code is compared, so concurrent guesses cannot share one:
   * the attempts made now, or null when none was left.
   */
  async takeAttempt(claimId: string, max: number): Promise<number | null> {
    // TypeORM answers an UPDATE ... RETURNING as [rows, affected] on PostgreSQL.
    const [rows] = (await this.db.query(
      `UPDATE livechat_identity_claims SET attempts = attempts + 1, updated_at = now()
       WHERE id = $1 AND attempts < $2 AND code_hash IS NOT NULL RETURNING attempts`,
      [claimId, max],
    )) as [Array<{ attempts: number }>, number];
    return rows[0]?.attempts ?? null;
  }

  /** Claims made by the customer's visitors or naming the customer as the address's holder. */
  async ofCustomer(customerId: string): Promise<ClaimView[]> {
    const rows = (await this.db.query(
      `SELECT * FROM livechat_identity_claims WHERE customer_id = $1 OR owner_customer_id = $1
       ORDER BY created_at DESC LIMIT 100`,
      [customerId],
    )) as ClaimRow[];
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      address: r.address,
      name: r.claimed_name,
      verified: r.status === 'verified',
      customerId: r.customer_id,
      ownerCustomerId: r.owner_customer_id,
      createdAt: iso(r.created_at)!,
      verifiedAt: iso(r.verified_at),
    }));
  }
}
