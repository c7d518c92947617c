import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { DomainEvents } from '../events/domain-events';
import { ConversationQueryService } from '../inbox/conversation-query.service';
import { AutomationActionsService } from './automation-actions.service';
import { AutomationFactsRepository } from './automation-facts.repository';
import { AutomationReferences } from './automation-references';
import type { Action } from './automation.schema';
import { MacrosRepository, type Macro } from './macros.repository';

const isManager = (u: AuthUser) => u.role === 'admin' || u.role === 'supervisor';

/** Macros: agents keep personal ones, supervisors and admins share them; run within team visibility. */
@Injectable()
export class MacrosService {
  constructor(
    private readonly repo: MacrosRepository,
    private readonly refs: AutomationReferences,
    private readonly runner: AutomationActionsService,
    private readonly query: ConversationQueryService,
    private readonly facts: AutomationFactsRepository,
    private readonly events: DomainEvents,
  ) {}

  list(user: AuthUser): Promise<Macro[]> {
    return this.repo.visibleTo(user.id);
  }

  async create(user: AuthUser, body: { name: string; actions: Action[]; shared: boolean }) {
    if (body.shared && !isManager(user))
      throw new DomainError('forbidden', 'shared: only supervisors and admins share macros');
    await this.refs.check(body.actions);
    return this.repo.insert(body, user.id);
  }

  /** A macro the user sees (shared or theirs); 404 otherwise, so personal ones stay unseen. */
  private async visible(user: AuthUser, id: string): Promise<Macro> {
    const m = await this.repo.get(id);
    if (!m || (!m.shared && m.ownerId !== user.id))
      throw new DomainError('not_found', `macro ${id} not found`);
    return m;
  }

  /** Owners change their personal macros; shared ones are the managers'. */
  private async writable(user: AuthUser, id: string): Promise<Macro> {
    const m = await this.visible(user, id);
    if (m.shared ? !isManager(user) : m.ownerId !== user.id)
      throw new DomainError(
        'forbidden',
        `macro ${id}: only supervisors and admins change shared macros`,
      );
    return m;
  }

  async update(
    user: AuthUser,
    id: string,
    body: { name?: string; actions?: Action[]; shared?: boolean },
  ) {
    await this.writable(user, id);
    if (body.shared && !isManager(user))
      throw new DomainError('forbidden', 'shared: only supervisors and admins share macros');
    await this.refs.check(body.actions);
    return (await this.repo.update(id, body))!;
  }

  async remove(user: AuthUser, id: string): Promise<void> {
    await this.writable(user, id);
    await this.repo.remove(id);
  }

  /** Runs every action in order as the user; logs the run on the timeline. */
  async run(user: AuthUser, conversationId: string, macroId: string) {
    const conv = await this.query.visibleRow(user, conversationId);
    const macro = await this.visible(user, macroId);
    const entry = await this.facts.addEntry(
      conv,
      'event',
      `Macro “${macro.name}” run by ${user.name}`,
      { macro: { id: macro.id, by: user.id } },
    );
    this.events.emit('message.created', {
      message: entry,
      conversation: null,
      isNewConversation: false,
    });
    const results = await this.runner.run(
      { user, system: false, origin: { macroId }, entryId: entry.id },
      conversationId,
      macro.actions,
    );
    const after = await this.query.visibleRow(user, conversationId).catch(() => conv);
    return { macroId, results, conversation: after };
  }
}
