import { Injectable } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import type { AuthUser } from '../auth/auth.decorators';
import type { Channel } from '../common/names';
import { OutboundService } from '../delivery/outbound.service';
import { DomainEvents } from '../events/domain-events';
import { ConversationActionsService } from '../inbox/conversation-actions.service';
import { ConversationQueryService } from '../inbox/conversation-query.service';
import { defaultReplyChannel } from '../inbox/reply-channel';
import { TemplateEngine } from '../templates/template-engine';
import { newDeliveryId } from '../webhooks/webhook-publisher';
import { AutomationFactsRepository } from './automation-facts.repository';
import type { Action } from './automation.schema';

/** Who runs actions: an agent's macro (their visibility, their name) or a rule (the system). */
export interface ActionRunner {
  user: AuthUser;
  /** A rule: notes carry no author, replies no agent (an automatic reply). */
  system: boolean;
  /** What started it, written with the timeline entries and webhook payloads. */
  origin: { ruleId?: string; macroId?: string };
  /** The timeline entry that logs the firing (notifications point at it). */
  entryId: string;
}

export interface ActionResult {
  type: Action['type'];
  ok: boolean;
  error?: string;
}

/** Runs rule and macro actions on one conversation through the inbox's own paths. */
@Injectable()
export class AutomationActionsService {
  constructor(
    private readonly actions: ConversationActionsService,
    private readonly query: ConversationQueryService,
    private readonly outbound: OutboundService,
    private readonly templates: TemplateEngine,
    private readonly facts: AutomationFactsRepository,
    private readonly events: DomainEvents,
  ) {}

  /** Every action in order; one that fails is reported and the next still runs. */
  async run(runner: ActionRunner, conversationId: string, list: Action[]): Promise<ActionResult[]> {
    const results: ActionResult[] = [];
    for (const action of list) {
      try {
        await this.one(runner, conversationId, action);
        results.push({ type: action.type, ok: true });
      } catch (e) {
        results.push({ type: action.type, ok: false, error: (e as Error).message });
      }
    }
    return results;
  }

  private async one(runner: ActionRunner, id: string, a: Action): Promise<void> {
    const user = runner.user;
    switch (a.type) {
      case 'assign':
        await this.actions.assign(user, id, a.agentId, a.teamId);
        return;
      case 'addLabels':
      case 'removeLabels': {
        const conv = await this.query.visibleRow(user, id);
        const next =
          a.type === 'addLabels'
            ? [...new Set([...conv.tags, ...a.labels])]
            : conv.tags.filter((t) => !a.labels.includes(t));
        if (next.length !== conv.tags.length || next.some((t, i) => t !== conv.tags[i]))
          await this.actions.setTags(user, id, next);
        return;
      }
      case 'setPriority':
        await this.actions.setPriority(user, id, a.priority);
        return;
      case 'setStatus':
        await this.actions.setStatus(user, id, a.status);
        return;
      case 'resolve':
        await this.actions.setStatus(user, id, 'resolved');
        return;
      case 'snooze':
        await this.actions.setStatus(
          user,
          id,
          'snoozed',
          new Date(Date.now() + a.minutes * 60_000).toISOString(),
        );
        return;
      case 'note':
        if (runner.system) {
          const conv = await this.query.visibleRow(user, id);
          const message = await this.facts.addEntry(conv, 'note', a.text, {
            automation: runner.origin,
          });
          this.events.emit('message.created', {
            message,
            conversation: conv,
            isNewConversation: false,
          });
        } else await this.actions.note(user, id, a.text);
        return;
      case 'replyTemplate':
        return this.reply(runner, id, a.template);
      case 'webhook':
        return this.webhook(runner, id, a.url, a.secret);
      case 'notify':
        this.events.emit('inbox.mention', {
          userIds: [a.userId],
          conversationId: id,
          messageId: runner.entryId,
          by: { id: user.id, name: user.name },
          text: a.text ?? '',
        });
        return;
    }
  }

  /** The template in the customer's language on the conversation's reply channel. */
  private async reply(runner: ActionRunner, id: string, template: string): Promise<void> {
    const conv = await this.query.visibleRow(runner.user, id);
    const channel = defaultReplyChannel(conv) as Channel | null;
    if (!channel) throw new Error('the conversation has no inbound channel to reply on');
    const facts = await this.facts.facts(id);
    const r = this.templates.render(template, channel, {
      locale: facts?.locale ?? 'en',
      data: { customer: { name: facts?.customerName ?? '' } },
    });
    await this.outbound.send({
      customerId: conv.customerId,
      conversationId: id,
      channel,
      text: r.text,
      ...(r.html ? { html: r.html } : {}),
      ...(r.subject ? { subject: r.subject } : {}),
      template,
      purpose: 'service',
      ...(runner.system ? {} : { authorId: runner.user.id }),
      metadata: { automation: runner.origin },
    });
  }

  /** POSTs the conversation's ids, signed per Standard Webhooks when the action has a secret. */
  private async webhook(runner: ActionRunner, id: string, url: string, secret?: string) {
    const conv = await this.query.visibleRow(runner.user, id);
    const at = new Date();
    const body = JSON.stringify({
      type: 'automation.action',
      timestamp: at.toISOString(),
      data: { conversationId: id, customerId: conv.customerId, ...runner.origin },
    });
    const msgId = newDeliveryId();
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'webhook-id': msgId,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    };
    if (secret) headers['webhook-signature'] = new Webhook(secret).sign(msgId, at, body);
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`webhook ${url} answered ${res.status}`);
  }
}
