import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { AuthUser } from '../auth/auth.decorators';
import { DomainEvents } from '../events/domain-events';
import { isBusinessMinute } from '../inbox/business-hours';
import { AutomationActionsService } from './automation-actions.service';
import { AutomationFactsRepository } from './automation-facts.repository';
import { AutomationRulesRepository, type AutomationRule } from './automation-rules.repository';
import type { AutomationEvent } from './automation.schema';
import { evaluateRules } from './evaluate-rules';

/** Rules act as the system: an admin's reach, no user row (notes and replies carry no author). */
export const AUTOMATION_ACTOR: AuthUser = {
  id: '00000000-0000-4000-8000-00000000a070',
  email: 'automation@system.invalid',
  name: 'Automation',
  role: 'admin',
};

const CACHE_MS = 2_000;

/**
 * Listens to the domain events rules name, evaluates the rules (evaluateRules) and runs what
 * fires. Loop guard: while a rule's actions run on a conversation, the events they emit there
 * carry that rule (and those that caused it) in `running`, so they never fire it again.
 */
@Injectable()
export class AutomationEngine implements OnModuleInit {
  private readonly log = new Logger('Automation');
  private readonly running = new Map<string, ReadonlySet<string>>();
  private cache: { at: number; rules: AutomationRule[] } | null = null;

  constructor(
    private readonly events: DomainEvents,
    private readonly rules: AutomationRulesRepository,
    private readonly facts: AutomationFactsRepository,
    private readonly actions: AutomationActionsService,
  ) {}

  onModuleInit(): void {
    this.events.on('message.created', ({ message }) => {
      if (message.direction === 'inbound' && message.kind === 'message' && message.conversationId)
        return this.handle('message.received', message.conversationId, message.text ?? null);
    });
    this.events.on('conversation.created', ({ conversation }) =>
      this.handle('conversation.created', conversation.id),
    );
    this.events.on('conversation.updated', ({ conversation }) =>
      this.handle('conversation.updated', conversation.id),
    );
    this.events.on('sla.warning', (e) => this.handle('sla.warning', e.conversationId));
    this.events.on('sla.breached', (e) => this.handle('sla.breached', e.conversationId));
    this.events.on('csat.received', (e) => this.handle('csat.received', e.conversationId));
    this.events.on('follow_up.due', (e) => this.handle('follow_up.due', e.conversationId));
  }

  /** Forget the cached rules (after a change through the API). */
  invalidate(): void {
    this.cache = null;
  }

  /** Synchronous up to the guard read: the emitter calls it inside the action that emitted. */
  private handle(event: AutomationEvent, conversationId: string, text: string | null = null) {
    const skip = this.running.get(conversationId) ?? new Set<string>();
    return this.evaluate(event, conversationId, text, skip);
  }

  private async activeRules(): Promise<AutomationRule[]> {
    if (!this.cache || Date.now() - this.cache.at > CACHE_MS)
      this.cache = { at: Date.now(), rules: (await this.rules.list()).filter((r) => r.active) };
    return this.cache.rules;
  }

  async evaluate(
    event: AutomationEvent,
    conversationId: string,
    text: string | null,
    skip: ReadonlySet<string>,
  ): Promise<void> {
    const rules = (await this.activeRules()).filter((r) => r.event === event && !skip.has(r.id));
    if (rules.length === 0) return;
    const f = await this.facts.facts(conversationId);
    if (!f) return;
    const now = Date.now();
    const result = evaluateRules(
      rules,
      event,
      {
        channel: f.channel,
        text,
        locale: f.locale,
        tier: f.tier,
        tags: f.tags,
        attributes: f.attributes,
        teamId: f.teamId,
        priority: f.priority,
        insideBusinessHours: f.calendar ? isBusinessMinute(now, f.calendar) : true,
      },
      skip,
    );
    if (result.fired.length === 0) return;
    const guard = new Set([...skip, ...result.fired.map((r) => r.id)]);
    const before = this.running.get(conversationId);
    this.running.set(conversationId, guard);
    try {
      for (const fired of result.fired) {
        const actions = result.actions.filter((a) => a.ruleId === fired.id).map((a) => a.action);
        const entry = await this.facts.addEntry(
          f,
          'event',
          `Rule “${fired.name}” fired on ${event}: ${actions.map((a) => a.type).join(', ')}`,
          { automation: { ruleId: fired.id, event, actions: actions.map((a) => a.type) } },
        );
        this.events.emit('message.created', {
          message: entry,
          conversation: null,
          isNewConversation: false,
        });
        await this.rules.recordFiring(fired.id);
        const results = await this.actions.run(
          { user: AUTOMATION_ACTOR, system: true, origin: { ruleId: fired.id }, entryId: entry.id },
          conversationId,
          actions,
        );
        for (const r of results.filter((x) => !x.ok))
          this.log.warn(`rule ${fired.id} on ${conversationId}: ${r.type} failed: ${r.error}`);
      }
    } finally {
      if (before) this.running.set(conversationId, before);
      else this.running.delete(conversationId);
    }
  }
}
