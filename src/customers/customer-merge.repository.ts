import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/transactions';

type Row = Record<string, unknown>;

/** A customer as a merge locks it. */
export interface MergeParty {
  id: string;
  mergedIntoId: string | null;
  erased: boolean;
}

/**
 * The statements merging one customer (the duplicate) into another (the survivor): identities,
 * timeline and conversations move, profiles combine. All run in the caller's transaction.
 */
@Injectable()
export class CustomerMergeRepository {
  /** Locks both rows in a fixed order (id), so concurrent merges cannot deadlock. */
  async lock(ids: string[], tx: Tx): Promise<MergeParty[]> {
    const rows = (await tx.query(
      `SELECT id, merged_into_id, erased_at FROM customers WHERE id = ANY($1) ORDER BY id FOR UPDATE`,
      [ids],
    )) as Row[];
    return rows.map((r) => ({
      id: r.id as string,
      mergedIntoId: (r.merged_into_id as string | null) ?? null,
      erased: Boolean(r.erased_at),
    }));
  }

  async moveIdentities(survivorId: string, duplicateId: string, tx: Tx): Promise<void> {
    await tx.query(`UPDATE customer_identities SET customer_id = $1 WHERE customer_id = $2`, [
      survivorId,
      duplicateId,
    ]);
  }

  /** The customer's active (not resolved) conversation, if any. */
  async activeConversation(customerId: string, tx: Tx): Promise<string | null> {
    const rows = (await tx.query(
      `SELECT id FROM conversations WHERE customer_id = $1 AND status <> 'resolved'`,
      [customerId],
    )) as Row[];
    return (rows[0]?.id as string | undefined) ?? null;
  }

  /** Moves the messages of conversation `fromId` into `intoId` and resolves `fromId`. */
  async foldConversation(intoId: string, fromId: string, tx: Tx): Promise<void> {
    await tx.query(`UPDATE messages SET conversation_id = $1 WHERE conversation_id = $2`, [
      intoId,
      fromId,
    ]);
    await tx.query(
      `UPDATE conversations SET status = 'resolved', resolved_at = now(), updated_at = now() WHERE id = $1`,
      [fromId],
    );
  }

  /** The duplicate's conversations, then its messages, to the survivor. */
  async moveTimeline(survivorId: string, duplicateId: string, tx: Tx): Promise<void> {
    await tx.query(`UPDATE conversations SET customer_id = $1 WHERE customer_id = $2`, [
      survivorId,
      duplicateId,
    ]);
    await tx.query(`UPDATE messages SET customer_id = $1 WHERE customer_id = $2`, [
      survivorId,
      duplicateId,
    ]);
  }

  /**
   * Tags united, attributes combined (the survivor's win), the later last contact; then the
   * duplicate points at the survivor.
   */
  async combineAndRetire(survivorId: string, duplicateId: string, tx: Tx): Promise<void> {
    await tx.query(
      `UPDATE customers s SET tags = COALESCE((SELECT array_agg(DISTINCT t) FROM unnest(s.tags || d.tags) t), '{}'),
                attributes = d.attributes || s.attributes,
                last_contact_at = GREATEST(s.last_contact_at, d.last_contact_at), updated_at = now()
         FROM customers d WHERE s.id = $1 AND d.id = $2`,
      [survivorId, duplicateId],
    );
    await tx.query(`UPDATE customers SET merged_into_id = $1, updated_at = now() WHERE id = $2`, [
      survivorId,
      duplicateId,
    ]);
  }
}
