import { likePattern } from './cursor';

/**
 * The SQL of inbox search, over `messages m` and `conversations c`. A page is the newest
 * conversations (list order) with a message matching the term, among those the list filters
 * and the user's scope let through.
 */

/** Matching messages read through the trigram index before a term counts as common. */
export const SEARCH_HITS = 5000;
/**
 * How far down the list the walk goes, per matching message, before looking the matches up
 * instead. A step of the walk costs about a sixth of a lookup, so a walk that finds too few
 * (a filter that few matches pass) adds at most two thirds to the lookups that follow; with
 * 3,000 hits among 100,000 conversations, a filter passing one in ten still fills a page.
 */
export const WALK_PER_HIT = 4;

/**
 * Matching customers looked up before a term counts as common (a frequent name: 王伟, 张).
 * Each costs a heap read of its customer row; past this many the walk finds a page sooner.
 */
export const CUSTOMER_HITS = 1000;

export const SORT = `COALESCE(c.last_message_at, c.created_at)`;

/** Conversations tagged with parameter `p`, in the form the partial GIN index conversations_tags answers. */
export const TAG_FILTER = (p: string) => `c.tags <> '{}' AND c.tags @> ARRAY[${p}::text]`;

/**
 * The words of a search term that the trigram index is asked for: those of three characters or
 * more (shorter ones give it no trigram). Each is a substring of the term, so a message holding
 * the term holds them all.
 */
export function indexWords(q: string): string[] {
  const words = q.split(/[^\p{L}\p{N}]+/u).filter((w) => [...w].length >= 3);
  return [...new Set(words)];
}

/** False for a single word under three characters, which gives the trigram index nothing. */
export function hasTrigrams(q: string): boolean {
  return indexWords(q).length > 0 || !/^[\p{L}\p{N}]*$/u.test(q);
}

const SEARCHABLE = `m.conversation_id IS NOT NULL AND m.kind <> 'event'`;

/** A condition on `m` holding the LIKE pattern for `text`, appended to `params`. */
function likeSql(text: string, params: unknown[]): string {
  return `m.search_text LIKE lower($${params.push(likePattern(text))})`;
}

/**
 * The condition on `m` for a message that search finds, its text holding the term whatever the
 * case (the term's parameters appended to `params`), as the planner estimates it well: for
 * checking one conversation's messages.
 */
export function matchSql(q: string, params: unknown[]): string {
  return `${likeSql(q, params)} AND ${SEARCHABLE}`;
}

/**
 * The same condition for the trigram index, which is asked for the term's words one by one
 * rather than for the whole term: a term's own trigrams include those of its words' edges
 * ("ed ", "  t" for "charged twice"), held by most messages, whose long posting lists cost the
 * index most of its time. The whole term is then checked on each message the words find.
 */
export function indexedMatchSql(q: string, params: unknown[]): string {
  const words = indexWords(q);
  if (words.length === 0 || (words.length === 1 && words[0] === q)) return matchSql(q, params);
  const each = words.map((w) => likeSql(w, params));
  // strpos, not LIKE: the planner would take a LIKE on the column to the index as well.
  const whole = `strpos(m.search_text, lower($${params.push(q)})) > 0`;
  return [...each, whole, SEARCHABLE].join(' AND ');
}

/**
 * The page for a term the indexes find fewer than SEARCH_HITS hits of, in one statement: rows
 * of the page (oldest last) with `sort_at` and the customer's name, each with `hit_count`; a
 * single row of nulls but `hit_count` when the page is empty. A term with SEARCH_HITS hits is
 * common: then that single row is all the statement answers. The hits are the matching messages
 * (`match`, a condition on `m`) and the conversations of the matching customers
 * (`customerMatches`, rows with customer_id; customerMatchesSql); CUSTOMER_HITS matching
 * customers make the term common too (the count of their conversations would not tell: most
 * customers may have none).
 *
 * Looking every matching conversation up to learn where it sorts costs a random read each
 * (thousands for a term like "charged twice"), so the list is walked newest first instead,
 * checking each conversation against the hashed set of matching ones, and stops at a page.
 * That walk is cut off after WALK_PER_HIT conversations per matching message (a rare term, or
 * one only old conversations have); the matching conversations below where it stopped are then
 * looked up one by one, as before. Either way the page is exactly the first `limit` of them.
 *
 * `where`: the filter and scope conditions on `c`; `after`: the keyset condition on `c`, if
 * any; `limit`: the placeholder of the page size (plus one, to tell a next page).
 */
export function fewHitsSql(
  match: string,
  customerMatches: string,
  where: string[],
  after: string | null,
  limit: string,
): string {
  const filters = where.length ? where.join(' AND ') : 'TRUE';
  const walkWhere = [`(SELECT n FROM hit_count) < ${SEARCH_HITS}`, ...(after ? [after] : [])];
  const walkCap = `(SELECT ${WALK_PER_HIT} * count(*) FROM hits)`;
  return `WITH found_customers AS MATERIALIZED (
    SELECT customer_id FROM (${customerMatches}) f LIMIT ${CUSTOMER_HITS}),
  hits AS MATERIALIZED (
    (SELECT m.conversation_id FROM messages m WHERE ${match} LIMIT ${SEARCH_HITS})
    UNION ALL
    (SELECT c.id FROM conversations c
     WHERE c.customer_id IN (SELECT customer_id FROM found_customers) LIMIT ${SEARCH_HITS})),
  hit_count AS MATERIALIZED (
    SELECT ((SELECT count(*) FROM hits)
      + CASE WHEN (SELECT count(*) FROM found_customers) >= ${CUSTOMER_HITS} THEN ${SEARCH_HITS} ELSE 0 END)::int AS n),
  walk AS MATERIALIZED (
    SELECT c.id, ${SORT} AS sort_at, c.id IN (SELECT conversation_id FROM hits) AND (${filters}) AS found
    FROM conversations c WHERE ${walkWhere.join(' AND ')}
    ORDER BY ${SORT} DESC, c.id DESC LIMIT ${walkCap}),
  walk_found AS MATERIALIZED (SELECT id, sort_at FROM walk WHERE found LIMIT ${limit}),
  page AS (
    SELECT id, sort_at FROM walk_found
    UNION ALL
    SELECT c.id, ${SORT} FROM conversations c
    WHERE c.id IN (SELECT conversation_id FROM hits) AND ${filters}${after ? ` AND ${after}` : ''}
      AND (${SORT}, c.id) < (SELECT sort_at, id FROM walk ORDER BY sort_at, id LIMIT 1)
      AND (SELECT count(*) FROM walk_found) < ${limit}
      AND (SELECT count(*) FROM walk) = ${walkCap}
    ORDER BY 2 DESC, 1 DESC LIMIT ${limit})
  SELECT h.hit_count, c.*, p.sort_at, cu.display_name AS customer_display_name
  FROM (SELECT n AS hit_count FROM hit_count) h
  LEFT JOIN ((SELECT * FROM page ORDER BY sort_at DESC, id DESC LIMIT ${limit}) p
             JOIN conversations c ON c.id = p.id JOIN customers cu ON cu.id = c.customer_id) ON true
  ORDER BY p.sort_at DESC, p.id DESC`;
}
