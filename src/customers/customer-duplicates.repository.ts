import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { DuplicateParty, DuplicateProbes } from './duplicate-score';

/** Most candidates looked at per way of matching, so that a common name stays cheap. */
export const CANDIDATES_PER_PROBE = 50;

/** A customer that may be the same person, with what scoring needs. */
export interface DuplicateCandidate extends DuplicateParty {
  id: string;
  lastContactAt: Date | null;
}

/** The name as normaliseName folds it, in the form the index customers_folded_name holds. */
const FOLDED_NAME = `lower(btrim(regexp_replace(normalize(cu.display_name, NFKC), '\\s+', ' ', 'g')))`;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/**
 * Candidates for duplicates of a customer, each arm in the form an index answers:
 * customers_folded_name for the name (case, width and spacing folded), customer_identities_address_trgm
 * for e-mail addresses and their local part, customer_identities_phone_suffix for a phone's last
 * digits. Each arm is limited; scoring (duplicateVerdict) decides which are suggested.
 */
@Injectable()
export class CustomerDuplicatesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async candidates(customerId: string, probes: DuplicateProbes): Promise<DuplicateCandidate[]> {
    const params: unknown[] = [customerId];
    const arms: string[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    arms.push(`(SELECT cu.id FROM customers cu
         WHERE cu.merged_into_id IS NULL AND ${FOLDED_NAME} = ${p(probes.name)}
         LIMIT ${CANDIDATES_PER_PROBE})`);
    for (const email of probes.emails)
      arms.push(`(SELECT ci.customer_id FROM customer_identities ci
         WHERE ci.kind IN ('email','wechat') AND lower(ci.address) LIKE ${p(escapeLike(email))}
         LIMIT ${CANDIDATES_PER_PROBE})`);
    for (const local of probes.emailLocalParts)
      arms.push(`(SELECT ci.customer_id FROM customer_identities ci
         WHERE ci.kind IN ('email','wechat') AND lower(ci.address) LIKE ${p(`${escapeLike(local)}@%`)}
         LIMIT ${CANDIDATES_PER_PROBE})`);
    for (const rev of probes.reversedPhoneSuffixes)
      arms.push(`(SELECT ci.customer_id FROM customer_identities ci
         WHERE ci.kind = 'phone' AND reverse(ci.address) LIKE ${p(`${rev}%`)}
         LIMIT ${CANDIDATES_PER_PROBE})`);
    if (arms.length === 0) return [];
    const rows = (await this.db.query(
      `WITH ids AS (${arms.join(' UNION ')})
       SELECT cu.id, cu.display_name, cu.last_contact_at,
              COALESCE(json_agg(json_build_object('kind', ci.kind, 'address', ci.address))
                FILTER (WHERE ci.id IS NOT NULL), '[]') AS identities
         FROM ids JOIN customers cu ON cu.id = ids.id
         LEFT JOIN customer_identities ci ON ci.customer_id = cu.id
        WHERE cu.id <> $1 AND cu.merged_into_id IS NULL AND cu.erased_at IS NULL
        GROUP BY cu.id`,
      params,
    )) as Array<{
      id: string;
      display_name: string;
      last_contact_at: Date | null;
      identities: Array<{ kind: string; address: string }>;
    }>;
    return rows.map((r) => ({
      id: r.id,
      displayName: r.display_name,
      lastContactAt: r.last_contact_at,
      identities: r.identities,
    }));
  }
}
