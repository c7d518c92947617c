import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  conversationView,
  messageView,
  type ConversationView,
  type MessageView,
} from '../common/views';
import type { BusinessCalendar } from './business-hours';
import { SLA_POLICY_FOR } from '../conversations/sla-policy.sql';

type Row = Record<string, unknown>;

/** The row of sla_policies that applies, as jsonb (name, first_response_seconds, ...). */
export type SlaPolicyDoc = Record<string, unknown>;

/** A cycle just begun, and the policy that applies (null: none, no timers). */
export interface BegunCycle {
  at: Date;
  policy: SlaPolicyDoc | null;
}

/** What an SLA check reads of its conversation. */
export interface SlaConversation {
  id: string;
  customerId: string;
  status: string;
  teamId: string | null;
  assigneeId: string | null;
  /** When the running SLA cycle began; null when none runs. */
  slaCycleAt: Date | null;
}

const slaConversation = (r: Row): SlaConversation => ({
  id: r.id as string,
  customerId: r.customer_id as string,
  status: r.status as string,
  teamId: (r.team_id as string) ?? null,
  assigneeId: (r.assignee_id as string) ?? null,
  slaCycleAt: r.sla_cycle_at ? new Date(r.sla_cycle_at as string) : null,
});

/**
 * Begins a cycle unless one is running, and answers the policy that applies (by priority and
 * channel, most specific first; none: no timers) as the conversation stands.
 */
const BEGIN_CYCLE = `
  WITH u AS (
    UPDATE conversations SET sla_cycle_at = now()
     WHERE id = $1 AND sla_cycle_at IS NULL AND status = 'open'
    RETURNING sla_cycle_at, priority, COALESCE(last_inbound_channel, last_channel) AS channel)
  SELECT u.sla_cycle_at, ${SLA_POLICY_FOR('u.priority', 'u.channel')} AS policy FROM u`;

/** The statements of SLA cycles and their checks: conversations.sla_cycle_at, breaches, calendars. */
@Injectable()
export class SlaRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Begins a cycle on an open conversation where none runs; null when one runs or it is not open. */
  async beginCycle(conversationId: string): Promise<BegunCycle | null> {
    // Unnamed: a plan cached while a new database's conversations were few could take the
    // status index for this one-row update. A first contact does not come here (see ingest).
    const rows = (await this.db.query(BEGIN_CYCLE, [conversationId])) as Array<{
      sla_cycle_at: Date;
      policy: SlaPolicyDoc | null;
    }>;
    return rows[0] ? { at: new Date(rows[0].sla_cycle_at), policy: rows[0].policy } : null;
  }

  /** Ends the cycle of a resolved or snoozed conversation, answering when it began (null: none ran). */
  async endCycle(conversationId: string): Promise<Date | null> {
    const [rows] = (await this.db.query(
      `WITH old AS (SELECT id, sla_cycle_at FROM conversations
                    WHERE id = $1 AND sla_cycle_at IS NOT NULL AND status IN ('resolved', 'snoozed') FOR UPDATE)
       UPDATE conversations c SET sla_cycle_at = NULL, sla_first_response_due_at = NULL,
              sla_resolution_due_at = NULL, sla_breached_at = NULL, sla_breach_kind = NULL
         FROM old WHERE c.id = old.id RETURNING old.sla_cycle_at AS cycle`,
      [conversationId],
    )) as [Array<{ cycle: Date }>, number];
    return rows[0] ? new Date(rows[0].cycle) : null;
  }

  /** When the running cycle began, or null. */
  async currentCycle(conversationId: string): Promise<Date | null> {
    const [c] = (await this.db.query(`SELECT sla_cycle_at FROM conversations WHERE id = $1`, [
      conversationId,
    ])) as Array<{ sla_cycle_at: Date | null }>;
    return c?.sla_cycle_at ? new Date(c.sla_cycle_at) : null;
  }

  async conversation(id: string): Promise<SlaConversation | null> {
    const [c] = (await this.db.query(`SELECT * FROM conversations WHERE id = $1`, [id])) as Row[];
    return c ? slaConversation(c) : null;
  }

  /** The team's business hours (UTC around the clock for an unknown team). */
  async teamCalendar(teamId: string): Promise<BusinessCalendar> {
    const [t] = (await this.db.query(
      `SELECT timezone, business_hours, holidays::text[] AS holidays FROM teams WHERE id = $1`,
      [teamId],
    )) as Row[];
    return {
      timezone: (t?.timezone as string) ?? 'UTC',
      hours: (t?.business_hours as BusinessCalendar['hours']) ?? null,
      holidays: (t?.holidays as string[]) ?? [],
    };
  }

  /** Did an agent reply in the conversation since `since`? */
  async answeredSince(conversationId: string, since: Date): Promise<boolean> {
    const rows = (await this.db.query(
      `SELECT 1 FROM messages WHERE conversation_id = $1 AND direction = 'outbound' AND kind = 'message' AND author_id IS NOT NULL AND created_at >= $2 LIMIT 1`,
      [conversationId, since],
    )) as unknown[];
    return rows.length > 0;
  }

  /**
   * Puts a breach event on the conversation's timeline, once per idempotency key (whichever
   * instance runs the check); null when it is there already.
   */
  async recordBreach(breach: {
    conversation: { id: string; customerId: string };
    text: string;
    idempotencyKey: string;
    metadata: Record<string, unknown>;
  }): Promise<MessageView | null> {
    const rows = (await this.db.query(
      `INSERT INTO messages (customer_id, conversation_id, direction, kind, channel, status, text, idempotency_key, metadata)
       VALUES ($1, $2, 'outbound', 'event', NULL, 'delivered', $3, $4, $5)
       RETURNING *`,
      [
        breach.conversation.customerId,
        breach.conversation.id,
        breach.text,
        breach.idempotencyKey,
        JSON.stringify(breach.metadata),
      ],
    )) as Row[];
    return rows[0] ? messageView(rows[0]) : null;
  }

  /**
   * Stores the cycle's deadlines, unless that cycle ended meanwhile (null then). Cycles are
   * compared to the millisecond, as JavaScript holds them (the column keeps microseconds).
   */
  async setDue(
    conversationId: string,
    cycle: Date,
    due: { first_response?: Date; resolution?: Date },
  ): Promise<ConversationView | null> {
    const rows = (await this.db.query(
      `UPDATE conversations SET sla_first_response_due_at = $3, sla_resolution_due_at = $4
        WHERE id = $1 AND date_trunc('milliseconds', sla_cycle_at) = $2 RETURNING *`,
      [conversationId, cycle, due.first_response ?? null, due.resolution ?? null],
    )) as Row[];
    return rows[0] ? conversationView(rows[0]) : null;
  }

  /** The first agent reply met the first-response target: its deadline goes (the view; null: none was due). */
  async clearFirstResponseDue(conversationId: string): Promise<ConversationView | null> {
    const rows = (await this.db.query(
      `UPDATE conversations SET sla_first_response_due_at = NULL
        WHERE id = $1 AND sla_first_response_due_at IS NOT NULL AND sla_breached_at IS NULL RETURNING *`,
      [conversationId],
    )) as Row[];
    return rows[0] ? conversationView(rows[0]) : null;
  }

  /** Marks the cycle breached (the first breach stays); null when that cycle ended. */
  async markBreached(
    conversationId: string,
    cycle: Date,
    kind: string,
  ): Promise<ConversationView | null> {
    const rows = (await this.db.query(
      `UPDATE conversations SET sla_breached_at = COALESCE(sla_breached_at, now()),
              sla_breach_kind = COALESCE(sla_breach_kind, $3)
        WHERE id = $1 AND date_trunc('milliseconds', sla_cycle_at) = $2 RETURNING *`,
      [conversationId, cycle, kind],
    )) as Row[];
    return rows[0] ? conversationView(rows[0]) : null;
  }

  /** The deadline of a kind in the running cycle (null: met, none, or another cycle). */
  async dueOf(conversationId: string, cycle: Date, kind: string): Promise<Date | null> {
    const [r] = (await this.db.query(
      `SELECT CASE WHEN $3 = 'first_response' THEN sla_first_response_due_at ELSE sla_resolution_due_at END AS due
         FROM conversations WHERE id = $1 AND date_trunc('milliseconds', sla_cycle_at) = $2 AND status = 'open'`,
      [conversationId, cycle, kind],
    )) as Array<{ due: Date | null }>;
    return r?.due ? new Date(r.due) : null;
  }
}
