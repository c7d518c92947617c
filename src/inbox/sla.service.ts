import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ConversationView } from '../conversations/views';
import { messageView } from '../conversations/views';
import { DomainEvents } from '../events/domain-events';
import { JobHandler } from '../queue/job-handler.decorator';
import { JobQueueService } from '../queue/job-queue.service';
import { addBusinessSeconds, type BusinessCalendar } from './business-hours';

type Row = Record<string, unknown>;
type SlaKind = 'first_response' | 'resolution';
const timerKey = (conversationId: string, kind: SlaKind) => `sla:${conversationId}:${kind}`;

/**
 * SLA timers: on a new conversation, the matching policy (by priority and channel, most specific
 * first) sets first-response and resolution deadlines in the team's business hours, as delayed
 * `timers` jobs keyed per conversation and kind (so they fire once). A reply cancels the first,
 * resolving cancels both; a breach puts an event on the timeline and emits sla.breached.
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
    this.events.on('conversation.created', ({ conversation }) => this.start(conversation));
    this.events.on('message.created', async ({ message }) => {
      if (message.direction === 'outbound' && message.kind === 'message' && message.author && message.conversationId) {
        await this.queue.cancel(timerKey(message.conversationId, 'first_response'));
      }
    });
    this.events.on('conversation.updated', async ({ conversation }) => {
      if (conversation.status === 'resolved') {
        await this.queue.cancel(timerKey(conversation.id, 'first_response'));
        await this.queue.cancel(timerKey(conversation.id, 'resolution'));
      }
    });
  }

  async start(conversation: ConversationView): Promise<void> {
    const [policy] = (await this.db.query(
      `SELECT * FROM sla_policies WHERE (priority IS NULL OR priority = $1) AND (channel IS NULL OR channel = $2)
       ORDER BY (priority IS NOT NULL) DESC, (channel IS NOT NULL) DESC, created_at DESC LIMIT 1`,
      [conversation.priority, conversation.lastInboundChannel ?? conversation.lastChannel],
    )) as Row[];
    if (!policy) return;
    const cal = await this.calendar(conversation.teamId);
    const start = new Date(conversation.createdAt);
    for (const [kind, seconds] of [
      ['first_response', policy.first_response_seconds],
      ['resolution', policy.resolution_seconds],
    ] as Array<[SlaKind, number | null]>) {
      if (!seconds) continue;
      await this.queue.enqueue({
        queue: 'timers',
        name: 'sla.check',
        payload: { conversationId: conversation.id, kind, policy: policy.name },
        dedupeKey: timerKey(conversation.id, kind),
        runAt: addBusinessSeconds(start, seconds, cal),
      });
    }
  }

  private async calendar(teamId: string | null): Promise<BusinessCalendar> {
    if (!teamId) return { timezone: 'UTC', hours: null, holidays: [] };
    const [t] = (await this.db.query(`SELECT timezone, business_hours, holidays::text[] AS holidays FROM teams WHERE id = $1`, [teamId])) as Row[];
    return { timezone: (t?.timezone as string) ?? 'UTC', hours: (t?.business_hours as BusinessCalendar['hours']) ?? null, holidays: (t?.holidays as string[]) ?? [] };
  }

  @JobHandler('timers', 'sla.check')
  async check(payload: Record<string, unknown>): Promise<void> {
    const id = payload.conversationId as string;
    const kind = payload.kind as SlaKind;
    const [c] = (await this.db.query(`SELECT * FROM conversations WHERE id = $1`, [id])) as Row[];
    if (!c) return;
    if (kind === 'first_response' && c.first_response_at) return;
    if (kind === 'resolution' && c.status === 'resolved') return;
    const label = kind === 'first_response' ? 'first response' : 'resolution';
    // The idempotency key makes the breach land once, whichever instance runs the job.
    const rows = (await this.db.query(
      `INSERT INTO messages (customer_id, conversation_id, direction, kind, channel, status, text, idempotency_key, metadata)
       VALUES ($1, $2, 'outbound', 'event', NULL, 'delivered', $3, $4, $5)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING *`,
      [c.customer_id, id, `SLA ${label} target missed (${String(payload.policy)})`, `${timerKey(id, kind)}:breach`, JSON.stringify({ event: 'sla.breached', kind, policy: payload.policy })],
    )) as Row[];
    if (!rows[0]) return;
    this.log.warn(`SLA ${kind} breached on conversation ${id}`);
    this.events.emit('message.created', { message: messageView(rows[0]), conversation: null, isNewConversation: false });
    this.events.emit('sla.breached', {
      conversationId: id,
      kind,
      policy: String(payload.policy),
      teamId: (c.team_id as string) ?? null,
      assigneeId: (c.assignee_id as string) ?? null,
    });
  }
}
