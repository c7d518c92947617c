import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { URGENCIES, type ConversationStatus, type Urgency } from '../common/names';
import { preparedQuery } from '../common/prepared-query';
import { conversationView, type ConversationView } from '../common/views';
import { isUniqueViolation } from '../database/sql-errors';

type Row = Record<string, unknown>;

/** A conversation as the inbox shows it: the common view, its tags and its CSAT score. */
export type InboxConversation = ConversationView & { tags: string[]; csatScore: number | null };

/** A row of `conversations` (with `customer_display_name` when joined) as the inbox shows it. */
export function inboxConversation(r: Row): InboxConversation {
  return {
    ...conversationView(r),
    tags: (r.tags as string[]) ?? [],
    csatScore: (r.csat_score as number) ?? null,
  };
}

/** The conversation with its customer's name, as inboxConversation gives a row joined with it. */
export function withCustomerName(c: InboxConversation, displayName: string): InboxConversation {
  const { tags, csatScore, ...view } = c;
  return { ...view, customer: { id: c.customerId, displayName }, tags, csatScore };
}

/**
 * A write refused because the customer already has another active conversation (the partial
 * unique index allows one not resolved per customer): reopening one while another is active.
 */
export const isOtherActiveConversation = (error: unknown): boolean =>
  isUniqueViolation(error, 'conversations_one_active_per_customer');

/** A raise of a conversation's priority, keyed by conversation or by customer. */
export interface PriorityRaise {
  key: string;
  urgency: string;
}

/** The conversations a raise keyed one way reaches (`v.key`: the raise's key). */
const RAISE_WHERE = {
  conversation: `c.id = v.key`,
  customer: `c.customer_id = v.key AND c.status <> 'resolved'`,
} as const;

/** TypeORM answers an UPDATE ... RETURNING as [rows, affected] on PostgreSQL. */
const updatedRows = (result: unknown): Row[] => (result as [Row[], number])[0];

/** The statements on conversations the inbox's actions, timers and listeners make. */
@Injectable()
export class ConversationsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One conversation with its customer's name, or null. */
  async findWithCustomer(id: string): Promise<InboxConversation | null> {
    const rows = (await this.db.query(
      `SELECT c.*, cu.display_name AS customer_display_name FROM conversations c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = $1`,
      [id],
    )) as Row[];
    return rows[0] ? inboxConversation(rows[0]) : null;
  }

  /** The customer's display name, or null when there is no such customer. */
  async customerName(customerId: string): Promise<string | null> {
    const [row] = (await this.db.query(`SELECT display_name FROM customers WHERE id = $1`, [
      customerId,
    ])) as Array<{ display_name: string | null }>;
    return row ? row.display_name : null;
  }

  /**
   * Sets the status (a snooze with its time; resolving stamps resolved_at and leaves the
   * assignment queue). Throws what isOtherActiveConversation recognizes when reopening one
   * while the customer has another active.
   */
  async setStatus(
    id: string,
    status: ConversationStatus,
    snoozedUntil: Date | null,
  ): Promise<InboxConversation> {
    const rows = updatedRows(
      await this.db.query(
        `UPDATE conversations SET status = $2, snoozed_until = $3,
                resolved_at = CASE WHEN $2 = 'resolved' THEN now() ELSE NULL END,
                queued_at = CASE WHEN $2 = 'resolved' THEN NULL ELSE queued_at END, updated_at = now()
         WHERE id = $1 RETURNING *`,
        [id, status, snoozedUntil],
      ),
    );
    return inboxConversation(rows[0]);
  }

  /**
   * Assigns by hand: an agent (null: nobody) and/or a team (null: none); undefined leaves
   * either as it is. An agent taking it removes it from the assignment queue.
   */
  async assign(
    id: string,
    agentId: string | null | undefined,
    teamId: string | null | undefined,
  ): Promise<InboxConversation> {
    const rows = updatedRows(
      await this.db.query(
        `UPDATE conversations SET
           assignee_id = CASE WHEN $2::boolean THEN $3::uuid ELSE assignee_id END,
           team_id = CASE WHEN $4::boolean THEN $5::uuid ELSE team_id END,
           queued_at = CASE WHEN $2::boolean AND $3::uuid IS NOT NULL THEN NULL ELSE queued_at END,
           updated_at = now()
         WHERE id = $1 RETURNING *`,
        [id, agentId !== undefined, agentId ?? null, teamId !== undefined, teamId ?? null],
      ),
    );
    return inboxConversation(rows[0]);
  }

  async setTags(id: string, tags: string[]): Promise<InboxConversation> {
    const rows = updatedRows(
      await this.db.query(
        `UPDATE conversations SET tags = $2, updated_at = now() WHERE id = $1 RETURNING *`,
        [id, tags],
      ),
    );
    return inboxConversation(rows[0]);
  }

  async setPriority(id: string, priority: string): Promise<InboxConversation> {
    const rows = updatedRows(
      await this.db.query(
        `UPDATE conversations SET priority = $2, updated_at = now() WHERE id = $1 RETURNING *`,
        [id, priority],
      ),
    );
    return inboxConversation(rows[0]);
  }

  /** Reopens a conversation snoozed until `until`; null when it was woken or re-snoozed meanwhile. */
  async wake(id: string, until: string): Promise<InboxConversation | null> {
    const rows = updatedRows(
      await this.db.query(
        `UPDATE conversations SET status = 'open', snoozed_until = NULL, updated_at = now()
         WHERE id = $1 AND status = 'snoozed' AND snoozed_until = $2::timestamptz RETURNING *`,
        [id, until],
      ),
    );
    return rows[0] ? inboxConversation(rows[0]) : null;
  }

  /**
   * Reopens a conversation for a follow-up that fell due, assigned to its agent. Throws what
   * isOtherActiveConversation recognizes when the customer has another active conversation.
   */
  async reopenFor(id: string, agentId: string): Promise<InboxConversation | null> {
    const rows = updatedRows(
      await this.db.query(
        `UPDATE conversations SET status = 'open', snoozed_until = NULL, resolved_at = NULL, assignee_id = $2, updated_at = now() WHERE id = $1 RETURNING *`,
        [id, agentId],
      ),
    );
    return rows[0] ? inboxConversation(rows[0]) : null;
  }

  /**
   * One statement: raises only when higher, so concurrent messages cannot lower it; several
   * raises of one key count as the highest of them. Answers the conversations it raised.
   */
  async raisePriorities(
    by: keyof typeof RAISE_WHERE,
    raises: PriorityRaise[],
  ): Promise<InboxConversation[]> {
    const rows = await preparedQuery(
      this.db,
      `UPDATE conversations c SET priority = v.urgency, updated_at = now()
       FROM (SELECT DISTINCT ON (key) key, urgency FROM unnest($1::uuid[], $2::text[]) AS a(key, urgency)
             ORDER BY key, array_position($3::text[], urgency) DESC) v
       WHERE ${RAISE_WHERE[by]} AND array_position($3::text[], c.priority) < array_position($3::text[], v.urgency)
       RETURNING c.*`,
      [raises.map((a) => a.key), raises.map((a) => a.urgency), URGENCIES],
    );
    return rows.map(inboxConversation);
  }

  /**
   * The highest urgency (high or critical) of the messages the hub sent the customer within
   * the last `hours`, or null.
   */
  async topRecentUrgency(customerId: string, hours: number): Promise<Urgency | null> {
    const [top] = await preparedQuery<{ urgency: Urgency }>(
      this.db,
      `SELECT urgency FROM messages
       WHERE customer_id = $1 AND direction = 'outbound' AND kind = 'message' AND urgency IN ('high', 'critical')
         AND created_at > now() - make_interval(hours => $3)
       ORDER BY array_position($2::text[], urgency) DESC LIMIT 1`,
      [customerId, URGENCIES, hours],
    );
    return top ? top.urgency : null;
  }
}
