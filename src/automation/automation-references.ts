import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { TemplateEngine } from '../templates/template-engine';
import { webhookUrlProblem } from '../webhooks/webhook-url';
import { AutomationFactsRepository } from './automation-facts.repository';
import type { Action, Condition } from './automation.schema';

/** 422 naming the field when a rule or macro names a team, agent, user or template that is not there. */
@Injectable()
export class AutomationReferences {
  constructor(
    private readonly facts: AutomationFactsRepository,
    private readonly templates: TemplateEngine,
    private readonly config: AppConfig,
  ) {}

  async check(actions: Action[] = [], conditions: Condition[] = []): Promise<void> {
    const refuse = (msg: string) => {
      throw new DomainError('unprocessable', msg);
    };
    for (const [i, c] of conditions.entries()) {
      if (c.type === 'team' && c.teamId && !(await this.facts.teamExists(c.teamId)))
        refuse(`conditions.${i}.teamId: no team ${c.teamId}`);
    }
    for (const [i, a] of actions.entries()) {
      const at = `actions.${i}`;
      if (a.type === 'assign') {
        if (a.teamId && !(await this.facts.teamExists(a.teamId)))
          refuse(`${at}.teamId: no team ${a.teamId}`);
        if (a.agentId && !(await this.facts.staffExists(a.agentId)))
          refuse(`${at}.agentId: no active agent ${a.agentId}`);
      }
      if (a.type === 'notify' && !(await this.facts.staffExists(a.userId)))
        refuse(`${at}.userId: no active user ${a.userId}`);
      if (a.type === 'replyTemplate' && this.templates.availableChannels(a.template).size === 0)
        refuse(`${at}.template: no template ${a.template}`);
      if (a.type === 'webhook') {
        const problem = await webhookUrlProblem(a.url, this.config.env.WEBHOOK_ALLOW_PRIVATE);
        if (problem) refuse(`${at}.${problem}`);
      }
    }
  }
}
