/** The known-sender write statements; run by InboundMessagesRepository only. */

/**
 * The conversation row a write CTE returned, with the customer's name from the `cust` CTE (so
 * listeners showing it need not read it again).
 */
export const CONVERSATION_WITH_NAME = (cte: string) =>
  `(SELECT to_jsonb(${cte}) || jsonb_build_object('customer_display_name', (SELECT display_name FROM cust)) FROM ${cte})`;

/** A known sender's message into their open conversation; $1..$13 as KnownMessage lists them. */
export const KNOWN_ONE = `WITH ident AS (
     SELECT customer_id FROM customer_identities WHERE kind = $3 AND address = $4),
   conv AS (
     SELECT c.id, c.customer_id FROM ident
     JOIN conversations c ON c.customer_id = ident.customer_id AND c.status = 'open'),
   msg AS (
     INSERT INTO messages (customer_id, conversation_id, direction, kind, channel, status, text, html, subject,
                           attachments, address, provider_message_id, auto_reply, metadata, created_at)
     SELECT conv.customer_id, conv.id, 'inbound', $5, $1, 'delivered', $6, $7, $8, $9, $4, $2, $10, $11, COALESCE($12, now())
     FROM conv
     RETURNING *),
   convu AS (
     UPDATE conversations SET last_message_at = now(), last_message_preview = $13, last_channel = $1,
            last_inbound_channel = $1, subject = COALESCE(subject, $8), updated_at = now()
     WHERE id = (SELECT conversation_id FROM msg) RETURNING *),
   cust AS (UPDATE customers SET last_contact_at = now() WHERE id = (SELECT customer_id FROM msg) RETURNING display_name)
   SELECT (SELECT to_jsonb(msg) FROM msg) AS message, ${CONVERSATION_WITH_NAME('convu')} AS conversation,
          EXISTS (SELECT 1 FROM conv) AS open, EXISTS (SELECT 1 FROM ident) AS known`;

/**
 * KNOWN_ONE for many messages at once ($1: their records, each with its ord). Messages land in
 * ord order; a conversation several of them share is updated once, as its last one would leave
 * it (preview and channel of the last, the subject of the first that has one when it had none).
 * JSON values travel as text and are cast (json_to_recordset's own jsonb columns cost more).
 * The lookups are one-row LATERAL probes and the customers' update an array of ids: as joins,
 * the planner (which takes json_to_recordset for 100 rows) hashed the whole identities and
 * customers tables for every batch, and kept doing so as they grew.
 */
export const KNOWN_MANY = `WITH i AS (SELECT * FROM json_to_recordset($1::json) AS i(
       ord int, channel text, provider_message_id text, kind text, address text, mkind text, text text,
       html text, subject text, attachments text, auto_reply boolean, metadata text, received_at timestamptz,
       preview text)),
   ident AS (
     SELECT i.ord, ci.customer_id FROM i
     CROSS JOIN LATERAL (SELECT customer_id FROM customer_identities ci
                         WHERE ci.kind = i.kind AND ci.address = i.address LIMIT 1) ci),
   conv AS (
     SELECT ident.ord, c.id, c.customer_id FROM ident
     CROSS JOIN LATERAL (SELECT c.id, c.customer_id FROM conversations c
                         WHERE c.customer_id = ident.customer_id AND c.status = 'open' LIMIT 1) c),
   msg AS (
     INSERT INTO messages (customer_id, conversation_id, direction, kind, channel, status, text, html, subject,
                           attachments, address, provider_message_id, auto_reply, metadata, created_at)
     SELECT conv.customer_id, conv.id, 'inbound', i.mkind, i.channel, 'delivered', i.text, i.html, i.subject,
            i.attachments::jsonb, i.address, i.provider_message_id, i.auto_reply, i.metadata::jsonb,
            COALESCE(i.received_at, now())
     FROM i JOIN conv ON conv.ord = i.ord ORDER BY i.ord
     RETURNING *),
   written AS (SELECT msg.conversation_id, msg.seq, i.preview, i.channel, i.subject
               FROM msg JOIN i ON i.channel = msg.channel AND i.provider_message_id = msg.provider_message_id),
   latest AS (
     SELECT DISTINCT ON (w.conversation_id) w.conversation_id, w.preview, w.channel,
            (SELECT f.subject FROM written f WHERE f.conversation_id = w.conversation_id AND f.subject IS NOT NULL
             ORDER BY f.seq LIMIT 1) AS subject
     FROM written w ORDER BY w.conversation_id, w.seq DESC),
   convu AS (
     UPDATE conversations c SET last_message_at = now(), last_message_preview = l.preview, last_channel = l.channel,
            last_inbound_channel = l.channel, subject = COALESCE(c.subject, l.subject), updated_at = now()
     FROM latest l WHERE c.id = l.conversation_id RETURNING c.*),
   cust AS (UPDATE customers u SET last_contact_at = now() WHERE u.id = ANY (ARRAY(SELECT customer_id FROM msg))
            RETURNING u.id, u.display_name)
   SELECT i.ord, to_jsonb(msg) AS message,
          to_jsonb(convu) || jsonb_build_object('customer_display_name', cust.display_name) AS conversation,
          conv.id IS NOT NULL AS open,
          ident.ord IS NOT NULL AS known
   FROM i LEFT JOIN ident ON ident.ord = i.ord
          LEFT JOIN conv ON conv.ord = i.ord
          LEFT JOIN msg ON msg.channel = i.channel AND msg.provider_message_id = i.provider_message_id
          LEFT JOIN convu ON convu.id = msg.conversation_id
          LEFT JOIN cust ON cust.id = msg.customer_id`;
