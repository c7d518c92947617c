import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiZodResponse, ZodQuery } from '../common/http/zod-body';
import { TeamViewResponse } from './inbox.responses';
import { teamViewQuerySchema, TeamViewService, type TeamViewQuery } from './team-view.service';

/** The supervisors' live team view (the web app's #/team); socket events say when to read it again. */
@ApiTags('inbox')
@ApiBearerAuth()
@Controller('api/v1/team-view')
export class TeamViewController {
  constructor(private readonly teamView: TeamViewService) {}

  @Get()
  @ApiOperation({
    summary: "Live team view: agents' presence and load against capacity, the queue, SLA at risk",
    description:
      'agents: active agents and supervisors (and anyone holding open conversations) with presence, open load (open and pending), capacity, teams and their open conversations. queue: open conversations with no assignee, those waiting for capacity (queuedAt) first. slaAtRisk: open conversations whose next SLA deadline (from the start of the running SLA cycle, under the policy that applies now, in the business hours of their team) is breached or due within soonMinutes (default 30).',
  })
  @ApiZodResponse(200, 'The team view', TeamViewResponse)
  view(@ZodQuery(teamViewQuerySchema) q: TeamViewQuery) {
    return this.teamView.view(q);
  }
}
