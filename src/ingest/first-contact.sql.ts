/** The first-contact write statement; run by InboundMessagesRepository only. */
import { SLA_POLICY_FOR } from '../conversations/sla-policy.sql';
import { CONVERSATION_WITH_NAME } from './known-sender.sql';

/**
 * A first contact's whole write in one statement: the customer, their identity, the conversation
 * the message opens (already carrying the message as its last) and the message.
 * - `optimistic` runs on its own, with no lock: when the sender or the provider message id turned
 *   up meanwhile (a concurrent delivery), the statement fails on a unique index and nothing of it
 *   stays; the caller then takes the locked path. (messages skip a row whose provider id is taken,
 *   see message_keys: the `taken` part then claims the key itself, to fail as the index did.)
 * - otherwise it runs under the sender's lock after the probe found neither; if another sender's
 *   transaction took the provider message id, no message row comes back and the caller rolls back.
 */
const TAKEN = `,
       taken AS (
         INSERT INTO message_keys (key, message_id, created_at)
         SELECT 'pid:' || $3 || ':' || $11, $5::uuid, now() WHERE NOT EXISTS (SELECT 1 FROM msg))`;
const firstContactSql = (optimistic: boolean) => `
  WITH cust AS (
         INSERT INTO customers (display_name, last_contact_at) VALUES ($1, now())
         RETURNING id, display_name),
       ident AS (
         INSERT INTO customer_identities (customer_id, kind, channel, address)
         SELECT id, $2, $3, $4 FROM cust),
       conv AS (
         INSERT INTO conversations (customer_id, status, subject, last_channel, last_inbound_channel,
                                    last_message_at, last_message_preview, sla_cycle_at)
         SELECT id, 'open', $8, $3, $3, now(), $14, now() FROM cust
         RETURNING *),
       msg AS (
         INSERT INTO messages (id, customer_id, conversation_id, direction, kind, channel, status, text,
                               html, subject, attachments, address, provider_message_id, auto_reply,
                               metadata, created_at)
         SELECT $5::uuid, cust.id, conv.id, 'inbound', $6, $3, 'delivered', $7, $9, $8, $10::jsonb, $4,
                $11, false, $12::jsonb, COALESCE($13::timestamptz, now())
           FROM cust, conv
         RETURNING *)${optimistic ? TAKEN : ''}
  SELECT (SELECT id FROM cust) AS customer_id, (SELECT to_jsonb(msg) FROM msg) AS message,
         ${CONVERSATION_WITH_NAME('conv')} AS conversation,
         (SELECT ${SLA_POLICY_FOR('c.priority', 'c.last_inbound_channel')} FROM conv c) AS sla_policy`;
export const FIRST_CONTACT_LOCKED = firstContactSql(false);
export const FIRST_CONTACT_OPTIMISTIC = firstContactSql(true);
