import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { IdParam } from '../common/http/id-param';
import { ApiZodBody, ApiZodResponse, ZodBody } from '../common/http/zod-body';
import { AutomationEngine } from './automation-engine.service';
import { AutomationReferences } from './automation-references';
import { AutomationRulesRepository } from './automation-rules.repository';
import { AutomationRuleListResponse, AutomationRuleSchema } from './automation.responses';
import { AUTOMATION_EVENTS, RuleBody, RuleChangesBody } from './automation.schema';

/** Automation rules: when an event happens, if conditions hold, do actions (supervisors, admins). */
@ApiTags('automation')
@ApiBearerAuth()
@Controller('api/v1/automation-rules')
export class AutomationRulesController {
  constructor(
    private readonly repo: AutomationRulesRepository,
    private readonly refs: AutomationReferences,
    private readonly engine: AutomationEngine,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Automation rules in the order they are evaluated' })
  @ApiZodResponse(200, 'Every rule, by position', AutomationRuleListResponse)
  async list() {
    return { items: await this.repo.list() };
  }

  @Post()
  @ApiOperation({
    summary: 'Create an automation rule',
    description:
      `\`event\` is one of ${AUTOMATION_EVENTS.join(', ')}. Every condition must hold; actions ` +
      'run in order. `stopAfter`: no later rule runs for the event once this one fired. A rule ' +
      'never fires again on the events its own actions cause. 422 names a missing team, agent or template.',
  })
  @ApiZodBody(RuleBody)
  @ApiZodResponse(201, 'The rule', AutomationRuleSchema)
  async create(@CurrentUser() user: AuthUser, @ZodBody(RuleBody) body: z.infer<typeof RuleBody>) {
    await this.refs.check(body.actions, body.conditions);
    const rule = await this.repo.insert(body, user.id);
    this.engine.invalidate();
    return rule;
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change, reorder (position), activate or deactivate a rule' })
  @ApiZodBody(RuleChangesBody)
  @ApiZodResponse(200, 'The rule as changed', AutomationRuleSchema)
  async update(
    @IdParam() id: string,
    @ZodBody(RuleChangesBody) body: z.infer<typeof RuleChangesBody>,
  ) {
    await this.refs.check(body.actions, body.conditions);
    const rule = await this.repo.update(id, body);
    if (!rule) throw new DomainError('not_found', `automation rule ${id} not found`);
    this.engine.invalidate();
    return rule;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a rule' })
  @ApiResponse({ status: 204, description: 'Deleted' })
  async remove(@IdParam() id: string): Promise<void> {
    if (!(await this.repo.remove(id)))
      throw new DomainError('not_found', `automation rule ${id} not found`);
    this.engine.invalidate();
  }
}
