import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { IdParam } from '../common/http/id-param';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { ApiZodBody, ApiZodResponse, ZodBody, ZodQuery } from '../common/http/zod-body';
import { MessageSchema } from '../common/views.responses';
import { ConversationActionsService } from './conversation-actions.service';
import { ConversationBulkService } from './conversation-bulk.service';
import { ConversationQueryService } from './conversation-query.service';
import { FollowUpsService } from './follow-ups.service';
import {
  AssignBody,
  BulkBody,
  MAX_BULK_IDS,
  CallBody,
  FollowUpBody,
  ListQuery,
  NoteBody,
  PriorityBody,
  ReplyBody,
  StatusBody,
  TagsBody,
} from './inbox.dto';
import {
  BulkResponse,
  CallResponse,
  ConversationDetailResponse,
  ConversationListResponse,
  FollowUpListResponse,
  FollowUpSchema,
  InboxConversationSchema,
  ReplyResponse,
} from './inbox.responses';

@ApiTags('inbox')
@ApiBearerAuth()
@Controller('api/v1/conversations')
export class ConversationsController {
  constructor(
    private readonly query: ConversationQueryService,
    private readonly actions: ConversationActionsService,
    private readonly followUps: FollowUpsService,
    private readonly bulkActions: ConversationBulkService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List conversations, newest first, filtered or searched',
    description:
      '`q` matches message text and the customer: any part of the name (one character is ' +
      'enough: 陈, 陈静), a phone number as typed ("138 0013 8000", "+86 138-0013-8000"; no ' +
      'country code reads as China) or its last 4+ digits, any part (3+ characters) of an ' +
      'e-mail address or WeChat id, whatever the case. The first page of a search also has ' +
      '`customers`: up to 5 matched customers with a conversation the caller may see, ' +
      '`{id, displayName, matched: {field: name|phone|email|wechat, value}, conversationId}` ' +
      '(their latest such conversation).',
  })
  @ApiZodResponse(200, 'A page of conversations', ConversationListResponse)
  list(@CurrentUser() user: AuthUser, @ZodQuery(ListQuery) q: z.infer<typeof ListQuery>) {
    return this.query.list(user, q);
  }

  @Post('bulk')
  @HttpCode(200)
  @ApiZodBody(BulkBody)
  @ApiOperation({
    summary: 'Apply one action to many conversations (assign, status, priority, add labels)',
    description:
      `Up to ${MAX_BULK_IDS} ids. \`action\` is one of \`{type: "assign", agentId?, teamId?}\`, ` +
      '`{type: "status", status, snoozeUntil?}`, `{type: "priority", priority}`, ' +
      '`{type: "addTags", tags}`. Each conversation goes through its single route (same ' +
      'visibility, validation, audit and `conversation.updated` event); the answer lists every ' +
      'id once: `{id, ok: true, conversation}` or `{id, ok: false, code, error}` ' +
      '(not_found, forbidden, bad_request, conflict), so one refusal never stops the others.',
  })
  @ApiZodResponse(200, 'One result per id', BulkResponse)
  bulk(@CurrentUser() user: AuthUser, @ZodBody(BulkBody) body: z.infer<typeof BulkBody>) {
    return this.bulkActions.apply(user, body.ids, body.action).then((results) => ({ results }));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A conversation with its messages' })
  @ApiZodResponse(
    200,
    'The conversation, its customer and its timeline',
    ConversationDetailResponse,
  )
  get(@CurrentUser() user: AuthUser, @IdParam() id: string) {
    return this.query.detail(user, id);
  }

  @Post(':id/replies')
  @ApiOperation({
    summary: 'Reply to the customer (default: the channel of the last inbound message)',
  })
  @HttpCode(202)
  @ApiOperation({
    summary: 'Reply to the customer',
    description:
      'On `channel`, else `replyChannel` of the conversation (the last inbound channel; a ' +
      'caller is answered by SMS). `attachmentIds` are uploads (POST /api/v1/attachments) sent ' +
      'with it: e-mail carries them, any other channel is 422 naming it. E-mail replies end ' +
      'with the signature of the inbox they leave from.',
  })
  @ApiZodBody(ReplyBody)
  @ApiZodResponse(202, 'The reply, queued', ReplyResponse)
  reply(
    @CurrentUser() user: AuthUser,
    @IdParam() id: string,
    @ZodBody(ReplyBody) body: z.infer<typeof ReplyBody>,
  ) {
    return this.actions.reply(user, id, body.text, body.channel, body.attachmentIds);
  }

  @Post(':id/call')
  @HttpCode(202)
  @ApiOperation({
    summary: "Call the customer's phone from the conversation",
    description:
      "Places a call through the voice channel (Twilio) to the customer's phone identity; the " +
      'call is a `kind: call` item on the timeline. `text` is what they hear on answering ' +
      '(a bilingual greeting when absent). 422 when the customer has no phone or refused calls.',
  })
  @ApiZodBody(CallBody)
  @ApiZodResponse(202, 'The call, queued', CallResponse)
  call(
    @CurrentUser() user: AuthUser,
    @IdParam() id: string,
    @ZodBody(CallBody) body: z.infer<typeof CallBody>,
  ) {
    return this.actions.call(user, id, body.text);
  }

  @Post(':id/notes')
  @ApiOperation({ summary: 'Add an internal note (never sent)' })
  @ApiZodBody(NoteBody)
  @ApiZodResponse(201, 'The note on the timeline', MessageSchema)
  note(
    @CurrentUser() user: AuthUser,
    @IdParam() id: string,
    @ZodBody(NoteBody) body: z.infer<typeof NoteBody>,
  ) {
    return this.actions.note(user, id, body.text);
  }

  @Post(':id/status')
  @ApiOperation({ summary: 'Open, pend, snooze or resolve a conversation' })
  @HttpCode(200)
  @ApiZodBody(StatusBody)
  @ApiZodResponse(200, 'The conversation as changed', InboxConversationSchema)
  status(
    @CurrentUser() user: AuthUser,
    @IdParam() id: string,
    @ZodBody(StatusBody) body: z.infer<typeof StatusBody>,
  ) {
    return this.actions.setStatus(user, id, body.status, body.snoozeUntil);
  }

  @Post(':id/assign')
  @ApiOperation({ summary: 'Assign a conversation to an agent or a team' })
  @HttpCode(200)
  @ApiZodBody(AssignBody)
  @ApiZodResponse(200, 'The conversation as changed', InboxConversationSchema)
  assign(
    @CurrentUser() user: AuthUser,
    @IdParam() id: string,
    @ZodBody(AssignBody) body: z.infer<typeof AssignBody>,
  ) {
    return this.actions.assign(user, id, body.agentId, body.teamId);
  }

  @Post(':id/tags')
  @ApiOperation({ summary: "Set the conversation's tags" })
  @HttpCode(200)
  @ApiZodBody(TagsBody)
  @ApiZodResponse(200, 'The conversation as changed', InboxConversationSchema)
  tags(
    @CurrentUser() user: AuthUser,
    @IdParam() id: string,
    @ZodBody(TagsBody) body: z.infer<typeof TagsBody>,
  ) {
    return this.actions.setTags(user, id, body.tags);
  }

  @Post(':id/priority')
  @ApiOperation({ summary: "Set the conversation's priority" })
  @HttpCode(200)
  @ApiZodBody(PriorityBody)
  @ApiZodResponse(200, 'The conversation as changed', InboxConversationSchema)
  priority(
    @CurrentUser() user: AuthUser,
    @IdParam() id: string,
    @ZodBody(PriorityBody) body: z.infer<typeof PriorityBody>,
  ) {
    return this.actions.setPriority(user, id, body.priority);
  }

  @Post(':id/follow-ups')
  @ApiOperation({ summary: 'Schedule a follow-up reminder' })
  @ApiZodBody(FollowUpBody)
  @ApiZodResponse(201, 'The follow-up, scheduled', FollowUpSchema)
  followUp(
    @CurrentUser() user: AuthUser,
    @IdParam() id: string,
    @ZodBody(FollowUpBody) body: z.infer<typeof FollowUpBody>,
  ) {
    return this.followUps.schedule(user, id, body.at, body.note);
  }

  @Get(':id/follow-ups')
  @ApiOperation({ summary: "The conversation's follow-ups" })
  @ApiZodResponse(200, 'Its follow-ups', FollowUpListResponse)
  listFollowUps(@CurrentUser() user: AuthUser, @IdParam() id: string) {
    return this.followUps.list(user, id);
  }
}
