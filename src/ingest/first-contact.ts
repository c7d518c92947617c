import type { DataSource, EntityManager } from 'typeorm';
import { conversationView, messageView } from '../conversations/views';
import { preparedQueryIn } from '../common/prepared-query';
import { SLA_POLICY_FOR } from '../conversations/sla-policy.sql';
import type { IngestResult } from './ingest.service';
import { CONVERSATION_WITH_NAME, type KnownMessage } from './known-sender-writes';

type Row = Record<string, unknown>;

/**
 * A first contact's whole write in one statement: the customer, their identity, the conversation
 * the message opens (already carrying the message as its last) and the message.
 * - `optimistic` runs on its own, with no lock: when the sender or the provider message id turned
 *   up meanwhile (a concurrent delivery), the statement fails on a unique index and nothing of it
 *   stays; the caller then takes the locked path.
 * - otherwise it runs under the sender's lock after the probe found neither; if another sender's
 *   transaction took the provider message id, no message row comes back and the caller rolls back.
 */
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
         ${optimistic ? '' : 'ON CONFLICT (channel, provider_message_id) WHERE provider_message_id IS NOT NULL DO NOTHING'}
         RETURNING *)
  SELECT (SELECT id FROM cust) AS customer_id, (SELECT to_jsonb(msg) FROM msg) AS message,
         ${CONVERSATION_WITH_NAME('conv')} AS conversation,
         (SELECT ${SLA_POLICY_FOR('c.priority', 'c.last_inbound_channel')} FROM conv c) AS sla_policy`;
const LOCKED = firstContactSql(false);
const OPTIMISTIC = firstContactSql(true);
const UNIQUE_VIOLATION = '23505';

/** The message's columns (as a known sender's write takes them), the new customer's name, the message id. */
export type FirstContact = KnownMessage & { display_name: string; message_id: string };

export interface Written {
  customerId: string;
  message: Row | null;
  /** Opened with its SLA cycle begun (sla_cycle_at). */
  conversation: Row;
  /** The SLA policy that applies to the new conversation (null: none). */
  slaPolicy: Row | null;
}

/** Under the sender's lock, inside the caller's transaction. */
export async function writeFirstContact(m: EntityManager, f: FirstContact): Promise<Written> {
  return run(m, LOCKED, f);
}

/**
 * On its own, before any lock: null when a concurrent delivery got there first (the sender's
 * identity or the provider message id exists now), and nothing was written.
 */
export async function tryFirstContact(db: DataSource, f: FirstContact): Promise<Written | null> {
  try {
    return await run(db.manager, OPTIMISTIC, f);
  } catch (e) {
    if ((e as { code?: string }).code === UNIQUE_VIOLATION) return null;
    throw e;
  }
}

async function run(m: EntityManager, sql: string, f: FirstContact): Promise<Written> {
  const [row] = await preparedQueryIn<{
    customer_id: string;
    message: Row | null;
    conversation: Row;
    sla_policy: Row | null;
  }>(m, sql, [
    f.display_name,
    f.kind,
    f.channel,
    f.address,
    f.message_id,
    f.mkind,
    f.text,
    f.subject,
    f.html,
    f.attachments,
    f.provider_message_id,
    f.metadata,
    f.received_at,
    f.preview,
  ]);
  return {
    customerId: row.customer_id,
    message: row.message,
    conversation: row.conversation,
    slaPolicy: row.sla_policy,
  };
}

/** What ingest answers for a first contact written by either statement. */
export function firstContactResult(written: Written): IngestResult {
  return {
    message: messageView(written.message!),
    conversation: conversationView(written.conversation),
    customerId: written.customerId,
    created: true,
    newCustomer: true,
    newConversation: true,
    slaCycleRunning: true,
    slaCycle: {
      at: new Date(written.conversation.sla_cycle_at as string),
      policy: written.slaPolicy,
    },
  };
}
