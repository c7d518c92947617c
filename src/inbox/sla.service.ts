import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ConversationView } from '../conversations/views';
import { messageView } from '../conversations/views';
import { DomainEvents } from '../events/domain-events';
import { JobHandler } from '../queue/job-handler.decorator';
import { JobQueueService } from '../queue/job-queue.service';
import { addBusinessSeconds, type BusinessCalendar } from './business-hours';
import { SLA_POLICY_FOR } from './sla-policy.sql';

type Row = Record<string, unknown>;
type SlaKind = 'first_response' | 'resolution';

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
/** One timer per conversation, kind and SLA cycle (a reopened conversation starts a new cycle). */
export const slaTimerKey = (conversationId: string, kind: SlaKind, cycleAt: Date) =>
  `sla:${conversationId}:${kind}:${cycleAt.getTime()}`;

/**
 * SLA timers: when a conversation opens (created, or reopened from resolved or snoozed) a new SLA
 * cycle starts: the matching policy (by priority and channel, most specific first) sets
 * first-response and resolution deadlines in the team's business hours, as delayed `timers` jobs
 * keyed per conversation, kind and cycle (so each fires once). A reply cancels the first;
 * resolving or snoozing ends the cycle and cancels both; a breach puts an event on the timeline
 * and emits sla.breached.
 */
@Injectable()
export class SlaService implements OnModuleInit {
  private readonly log = new Logger('Sla');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: DomainEvents,
    private readonly queue: JobQueueService,
  ) {}

  onModuleInit(): void {
    this.events.on('conversation.created', async ({ conversation, slaCycle }) => {
      // A writer that began the cycle with the conversation read its policy too.
      if (!slaCycle) await this.beginCycle(conversation);
      else if (slaCycle.policy) await this.start(conversation, slaCycle.at, slaCycle.policy);
    });
    this.events.on('message.created', async ({ message }) => {
      if (
        message.direction === 'outbound' &&
        message.kind === 'message' &&
        message.author &&
        message.conversationId
      ) {
        const cycle = await this.currentCycle(message.conversationId);
        if (cycle)
          await this.queue.cancel(slaTimerKey(message.conversationId, 'first_response', cycle));
      }
    });
    this.events.on('conversation.updated', async ({ conversation, slaCycleRunning }) => {
      if (conversation.status === 'resolved' || conversation.status === 'snoozed')
        await this.endCycle(conversation.id);
      // A cycle the writer saw running is still running or was ended since by a resolve or
      // snooze, whose reopen begins the next one: either way nothing to begin here.
      else if (conversation.status === 'open' && slaCycleRunning !== true)
        await this.beginCycle(conversation);
    });
  }

  /** Starts a cycle unless one is running (an open conversation taking more messages keeps its own). */
  async beginCycle(conversation: ConversationView): Promise<void> {
    // Unnamed: a plan cached while a new database's conversations were few could take the
    // status index for this one-row update. A first contact does not come here (see ingest).
    const rows = (await this.db.query(BEGIN_CYCLE, [conversation.id])) as Array<{
      sla_cycle_at: Date;
      policy: Row | null;
    }>;
    if (rows[0]?.policy)
      await this.start(conversation, new Date(rows[0].sla_cycle_at), rows[0].policy);
  }

  private async endCycle(conversationId: string): Promise<void> {
    const [rows] = (await this.db.query(
      `WITH old AS (SELECT id, sla_cycle_at FROM conversations
                    WHERE id = $1 AND sla_cycle_at IS NOT NULL AND status IN ('resolved', 'snoozed') FOR UPDATE)
       UPDATE conversations c SET sla_cycle_at = NULL FROM old WHERE c.id = old.id RETURNING old.sla_cycle_at AS cycle`,
      [conversationId],
    )) as [Array<{ cycle: Date }>, number];
    if (!rows[0]) return;
    const cycle = new Date(rows[0].cycle);
    await this.queue.cancel(slaTimerKey(conversationId, 'first_response', cycle));
    await this.queue.cancel(slaTimerKey(conversationId, 'resolution', cycle));
  }

  private async currentCycle(conversationId: string): Promise<Date | null> {
    const [c] = (await this.db.query(`SELECT sla_cycle_at FROM conversations WHERE id = $1`, [
      conversationId,
    ])) as Array<{ sla_cycle_at: Date | null }>;
    return c?.sla_cycle_at ? new Date(c.sla_cycle_at) : null;
  }

  private async start(conversation: ConversationView, cycle: Date, policy: Row): Promise<void> {
    const cal = await this.calendar(conversation.teamId);
    for (const [kind, seconds] of [
      ['first_response', policy.first_response_seconds],
      ['resolution', policy.resolution_seconds],
    ] as Array<[SlaKind, number | null]>) {
      if (!seconds) continue;
      await this.queue.enqueue({
        queue: 'timers',
        name: 'sla.check',
        payload: {
          conversationId: conversation.id,
          kind,
          policy: policy.name,
          cycle: cycle.toISOString(),
        },
        dedupeKey: slaTimerKey(conversation.id, kind, cycle),
        runAt: addBusinessSeconds(cycle, seconds, cal),
      });
    }
    // A snooze or resolve that ended this cycle while its timers were being written cancelled
    // only the ones already there: the cycle is checked again and the rest cancelled too.
    const current = await this.currentCycle(conversation.id);
    if (current === null || current.getTime() !== cycle.getTime()) {
      await this.queue.cancel(slaTimerKey(conversation.id, 'first_response', cycle));
      await this.queue.cancel(slaTimerKey(conversation.id, 'resolution', cycle));
    }
  }

  private async calendar(teamId: string | null): Promise<BusinessCalendar> {
    if (!teamId) return { timezone: 'UTC', hours: null, holidays: [] };
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

  @JobHandler('timers', 'sla.check')
  async check(payload: Record<string, unknown>): Promise<void> {
    const id = payload.conversationId as string;
    const kind = payload.kind as SlaKind;
    const cycle = new Date(payload.cycle as string);
    const [c] = (await this.db.query(`SELECT * FROM conversations WHERE id = $1`, [id])) as Row[];
    // Gone, or a cycle that ended (resolved or snoozed since; a reopen runs its own timers).
    if (!c || !c.sla_cycle_at || new Date(c.sla_cycle_at as string).getTime() !== cycle.getTime())
      return;
    if (kind === 'first_response' && (await this.answeredSince(id, cycle))) return;
    if (kind === 'resolution' && c.status === 'resolved') return;
    const label = kind === 'first_response' ? 'first response' : 'resolution';
    // The idempotency key makes the breach land once per cycle, whichever instance runs the job.
    const rows = (await this.db.query(
      `INSERT INTO messages (customer_id, conversation_id, direction, kind, channel, status, text, idempotency_key, metadata)
       VALUES ($1, $2, 'outbound', 'event', NULL, 'delivered', $3, $4, $5)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING *`,
      [
        c.customer_id,
        id,
        `SLA ${label} target missed (${String(payload.policy)})`,
        `${slaTimerKey(id, kind, cycle)}:breach`,
        JSON.stringify({ event: 'sla.breached', kind, policy: payload.policy }),
      ],
    )) as Row[];
    if (!rows[0]) return;
    this.log.warn(`SLA ${kind} breached on conversation ${id}`);
    this.events.emit('message.created', {
      message: messageView(rows[0]),
      conversation: null,
      isNewConversation: false,
    });
    this.events.emit('sla.breached', {
      conversationId: id,
      kind,
      policy: String(payload.policy),
      teamId: (c.team_id as string) ?? null,
      assigneeId: (c.assignee_id as string) ?? null,
    });
  }

  /** Did an agent reply in this cycle? */
  private async answeredSince(conversationId: string, cycle: Date): Promise<boolean> {
    const rows = (await this.db.query(
      `SELECT 1 FROM messages WHERE conversation_id = $1 AND direction = 'outbound' AND kind = 'message' AND author_id IS NOT NULL AND created_at >= $2 LIMIT 1`,
      [conversationId, cycle],
    )) as unknown[];
    return rows.length > 0;
  }
}
