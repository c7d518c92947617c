import type { CustomerSearchTerm } from '../customers/customer-search-term';
import { likePattern } from './cursor';

/**
 * The SQL of the customer half of inbox search: customers whose name, e-mail, phone or WeChat id
 * match a term (customerSearchTerm), each way in the form its index answers (migration
 * CustomerSearch):
 * - name: customers_name_grams, a GIN index of each name's characters and character pairs, so
 *   that one or two Chinese characters (陈静) are looked up, which trigrams cannot do; the
 *   pairs narrow, then the whole term is checked on each name found;
 * - e-mail and WeChat id: customer_identities_address_trgm (trigrams, from three characters);
 * - phone: the unique (kind, address) index for a whole number, customer_identities_phone_suffix
 *   (the reversed number, text_pattern_ops) for its last digits.
 */

export const CUSTOMER_MATCH_FIELDS = ['name', 'email', 'phone', 'wechat'] as const;
export type CustomerMatchField = (typeof CUSTOMER_MATCH_FIELDS)[number];

/** The identity conditions on `ci` the term asks for, its parameters appended to `params`. */
function identityConditions(term: CustomerSearchTerm, params: unknown[]): string[] {
  const conditions: string[] = [];
  if (term.address)
    conditions.push(
      `ci.kind IN ('email','wechat') AND lower(ci.address) LIKE $${params.push(likePattern(term.address))}`,
    );
  if (term.phone) conditions.push(`ci.kind = 'phone' AND ci.address = $${params.push(term.phone)}`);
  if (term.phoneDigits)
    conditions.push(
      `ci.kind = 'phone' AND reverse(ci.address) LIKE $${params.push(`${[...term.phoneDigits].reverse().join('')}%`)}`,
    );
  return conditions;
}

/** The name condition on `cu`: the index narrows by character pairs, strpos checks the whole term. */
function nameCondition(term: CustomerSearchTerm, params: unknown[]): string {
  const p = `$${params.push(term.name)}`;
  return `cu.merged_into_id IS NULL AND hub_name_grams(cu.display_name) @> hub_name_query_grams(${p}) AND strpos(lower(cu.display_name), lower(${p})) > 0`;
}

/**
 * Rows (customer_id, field, value) of the customers matching, one per way each matches (a
 * customer may come more than once).
 */
export function customerMatchesSql(term: CustomerSearchTerm, params: unknown[]): string {
  const name = `SELECT cu.id AS customer_id, 'name' AS field, cu.display_name AS value
    FROM customers cu WHERE ${nameCondition(term, params)}`;
  const identities = identityConditions(term, params).map(
    (where) => `SELECT ci.customer_id, ci.kind AS field, ci.address AS value
    FROM customer_identities ci WHERE ${where}`,
  );
  return [name, ...identities].join(' UNION ALL ');
}

/**
 * The same test on one conversation's customer, `cu` joined to `c`: for walking the list
 * rather than looking the customers up (a common term).
 */
export function customerRowMatchSql(term: CustomerSearchTerm, params: unknown[]): string {
  const name = `strpos(lower(cu.display_name), lower($${params.push(term.name)})) > 0`;
  const identities = identityConditions(term, params);
  if (identities.length === 0) return name;
  return `(${name} OR EXISTS (SELECT 1 FROM customer_identities ci WHERE ci.customer_id = c.customer_id AND (${identities.map((i) => `(${i})`).join(' OR ')})))`;
}

/** Which matched field is shown for a customer found more than one way: an identity first. */
export const FIELD_RANK = `CASE field WHEN 'phone' THEN 0 WHEN 'email' THEN 1 WHEN 'wechat' THEN 2 ELSE 3 END`;
