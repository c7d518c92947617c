import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { ConversationView } from '../common/views';
import { DomainEvents } from '../events/domain-events';
import { JobHandler } from '../queue/job-handler.decorator';
import { JobQueueService } from '../queue/job-queue.service';
import { addBusinessSeconds, type BusinessCalendar } from './business-hours';
import { SlaRepository, type SlaPolicyDoc } from './sla.repository';

type SlaKind = 'first_response' | 'resolution';

/** How long before a deadline its warning goes out (and the list turns its countdown amber). */
export const SLA_WARNING_SECONDS = 15 * 60;

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
    private readonly repo: SlaRepository,
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
        const cycle = await this.repo.currentCycle(message.conversationId);
        if (cycle)
          await this.queue.cancel(slaTimerKey(message.conversationId, 'first_response', cycle));
        const met = await this.repo.clearFirstResponseDue(message.conversationId);
        if (met) this.publish(met);
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
    const begun = await this.repo.beginCycle(conversation.id);
    if (begun?.policy) await this.start(conversation, begun.at, begun.policy);
  }

  private async endCycle(conversationId: string): Promise<void> {
    const cycle = await this.repo.endCycle(conversationId);
    if (!cycle) return;
    await this.queue.cancel(slaTimerKey(conversationId, 'first_response', cycle));
    await this.queue.cancel(slaTimerKey(conversationId, 'resolution', cycle));
  }

  private async start(
    conversation: ConversationView,
    cycle: Date,
    policy: SlaPolicyDoc,
  ): Promise<void> {
    const cal = await this.calendar(conversation.teamId);
    const due: Partial<Record<SlaKind, Date>> = {};
    for (const [kind, seconds] of [
      ['first_response', policy.first_response_seconds],
      ['resolution', policy.resolution_seconds],
    ] as Array<[SlaKind, number | null]>) {
      if (!seconds) continue;
      due[kind] = addBusinessSeconds(cycle, seconds, cal);
    }
    // Shown before the timers exist: a reload between them already has its countdown.
    const shown = await this.repo.setDue(conversation.id, cycle, due);
    if (shown) this.publish(shown);
    for (const [kind, runAt] of Object.entries(due) as Array<[SlaKind, Date]>) {
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
        runAt,
      });
      const warnAt = runAt.getTime() - SLA_WARNING_SECONDS * 1000;
      if (warnAt > cycle.getTime())
        await this.queue.enqueue({
          queue: 'timers',
          name: 'sla.warn',
          payload: { conversationId: conversation.id, kind, cycle: cycle.toISOString() },
          dedupeKey: `sla-warn:${conversation.id}:${kind}:${cycle.getTime()}`,
          runAt: new Date(warnAt),
        });
    }
    // A snooze or resolve that ended this cycle while its timers were being written cancelled
    // only the ones already there: the cycle is checked again and the rest cancelled too.
    const current = await this.repo.currentCycle(conversation.id);
    if (current === null || current.getTime() !== cycle.getTime()) {
      await this.queue.cancel(slaTimerKey(conversation.id, 'first_response', cycle));
      await this.queue.cancel(slaTimerKey(conversation.id, 'resolution', cycle));
    }
  }

  private async calendar(teamId: string | null): Promise<BusinessCalendar> {
    if (!teamId) return { timezone: 'UTC', hours: null, holidays: [] };
    return this.repo.teamCalendar(teamId);
  }

  @JobHandler('timers', 'sla.check')
  async check(payload: Record<string, unknown>): Promise<void> {
    const id = payload.conversationId as string;
    const kind = payload.kind as SlaKind;
    const cycle = new Date(payload.cycle as string);
    const c = await this.repo.conversation(id);
    // Gone, or a cycle that ended (resolved or snoozed since; a reopen runs its own timers).
    if (!c || !c.slaCycleAt || c.slaCycleAt.getTime() !== cycle.getTime()) return;
    if (kind === 'first_response' && (await this.repo.answeredSince(id, cycle))) return;
    if (kind === 'resolution' && c.status === 'resolved') return;
    const label = kind === 'first_response' ? 'first response' : 'resolution';
    // The idempotency key makes the breach land once per cycle, whichever instance runs the job.
    const message = await this.repo.recordBreach({
      conversation: c,
      text: `SLA ${label} target missed (${String(payload.policy)})`,
      idempotencyKey: `${slaTimerKey(id, kind, cycle)}:breach`,
      metadata: { event: 'sla.breached', kind, policy: payload.policy },
    });
    if (!message) return;
    this.log.warn(`SLA ${kind} breached on conversation ${id}`);
    const marked = await this.repo.markBreached(id, cycle, kind);
    if (marked) this.publish(marked);
    this.events.emit('message.created', {
      message,
      conversation: null,
      isNewConversation: false,
    });
    this.events.emit('sla.breached', {
      conversationId: id,
      kind,
      policy: String(payload.policy),
      teamId: c.teamId,
      assigneeId: c.assigneeId,
      cycleAt: cycle.toISOString(),
    });
  }

  /** A deadline is near and still open (not met, not ended, not another cycle): warn once. */
  @JobHandler('timers', 'sla.warn')
  async warn(payload: Record<string, unknown>): Promise<void> {
    const id = payload.conversationId as string;
    const kind = payload.kind as SlaKind;
    const cycle = new Date(payload.cycle as string);
    const due = await this.repo.dueOf(id, cycle, kind);
    if (!due) return;
    const c = await this.repo.conversation(id);
    if (!c) return;
    this.events.emit('sla.warning', {
      conversationId: id,
      kind,
      dueAt: due.toISOString(),
      cycleAt: cycle.toISOString(),
      teamId: c.teamId,
      assigneeId: c.assigneeId,
    });
  }

  /** The SLA columns changed: lists refresh the row (the cycle runs, so the SLA listener skips it). */
  private publish(conversation: ConversationView): void {
    this.events.emit('conversation.updated', { conversation, slaCycleRunning: true });
  }
}
