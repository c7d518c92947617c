import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { IdParam } from '../common/http/id-param';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { ApiZodBody, ZodBody, ZodQuery } from '../common/http/zod-body';
import { ConversationActionsService } from './conversation-actions.service';
import { ConversationQueryService } from './conversation-query.service';
import { FollowUpsService } from './follow-ups.service';
import {
  AssignBody,
  FollowUpBody,
  ListQuery,
  NoteBody,
  PriorityBody,
  ReplyBody,
  StatusBody,
  TagsBody,
} from './inbox.dto';

@ApiTags('inbox')
@ApiBearerAuth()
@Controller('api/v1/conversations')
export class ConversationsController {
  constructor(
    private readonly query: ConversationQueryService,
    private readonly actions: ConversationActionsService,
    private readonly followUps: FollowUpsService,
  ) {}

  @Get()
  list(@CurrentUser() user: AuthUser, @ZodQuery(ListQuery) q: z.infer<typeof ListQuery>) {
    return this.query.list(user, q);
  }

  @Get(':id')
  get(@CurrentUser() user: AuthUser, @IdParam() id: string) {
    return this.query.detail(user, id);
  }

  @Post(':id/replies')
  @HttpCode(202)
  @ApiZodBody(ReplyBody)
  reply(
    @CurrentUser() user: AuthUser,
    @IdParam() id: string,
    @ZodBody(ReplyBody) body: z.infer<typeof ReplyBody>,
  ) {
    return this.actions.reply(user, id, body.text, body.channel);
  }

  @Post(':id/notes')
  @ApiZodBody(NoteBody)
  note(
    @CurrentUser() user: AuthUser,
    @IdParam() id: string,
    @ZodBody(NoteBody) body: z.infer<typeof NoteBody>,
  ) {
    return this.actions.note(user, id, body.text);
  }

  @Post(':id/status')
  @HttpCode(200)
  @ApiZodBody(StatusBody)
  status(
    @CurrentUser() user: AuthUser,
    @IdParam() id: string,
    @ZodBody(StatusBody) body: z.infer<typeof StatusBody>,
  ) {
    return this.actions.setStatus(user, id, body.status, body.snoozeUntil);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiZodBody(AssignBody)
  assign(
    @CurrentUser() user: AuthUser,
    @IdParam() id: string,
    @ZodBody(AssignBody) body: z.infer<typeof AssignBody>,
  ) {
    return this.actions.assign(user, id, body.agentId, body.teamId);
  }

  @Post(':id/tags')
  @HttpCode(200)
  @ApiZodBody(TagsBody)
  tags(
    @CurrentUser() user: AuthUser,
    @IdParam() id: string,
    @ZodBody(TagsBody) body: z.infer<typeof TagsBody>,
  ) {
    return this.actions.setTags(user, id, body.tags);
  }

  @Post(':id/priority')
  @HttpCode(200)
  @ApiZodBody(PriorityBody)
  priority(
    @CurrentUser() user: AuthUser,
    @IdParam() id: string,
    @ZodBody(PriorityBody) body: z.infer<typeof PriorityBody>,
  ) {
    return this.actions.setPriority(user, id, body.priority);
  }

  @Post(':id/follow-ups')
  @ApiZodBody(FollowUpBody)
  followUp(
    @CurrentUser() user: AuthUser,
    @IdParam() id: string,
    @ZodBody(FollowUpBody) body: z.infer<typeof FollowUpBody>,
  ) {
    return this.followUps.schedule(user, id, body.at, body.note);
  }

  @Get(':id/follow-ups')
  listFollowUps(@CurrentUser() user: AuthUser, @IdParam() id: string) {
    return this.followUps.list(user, id);
  }
}
