import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { IdParam } from '../common/http/id-param';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { ApiZodBody, ApiZodResponse, ZodBody } from '../common/http/zod-body';
import { MessageDetailResponse, PreviewResponse, SendResponse } from './messages.responses';
import { VisibilityService } from '../conversations/visibility.service';
import { SendMessageBody, type SendMessage } from './messages.dto';
import { MessagesService } from './messages.service';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('api/v1')
export class MessagesController {
  constructor(
    private readonly messages: MessagesService,
    private readonly visibility: VisibilityService,
  ) {}

  @Post('messages')
  @ApiOperation({
    summary: 'Send a routed message (channel chosen by preferences, consent and urgency)',
  })
  @HttpCode(202)
  @ApiOperation({
    summary: 'Route, render and queue a message',
    description:
      'Answers {messageId, status, route}. status is "queued", or "digested" for a low-urgency ' +
      "message within DIGEST_WINDOW_MINUTES of the customer's last low-urgency one: it waits in " +
      'their digest, which goes at route.sendAt as one message (metadata.digest on GET /messages/:id).',
  })
  @ApiZodBody(SendMessageBody)
  @ApiZodResponse(202, 'Queued or digested, with its route', SendResponse)
  send(@ZodBody(SendMessageBody) body: SendMessage, @CurrentUser() user: AuthUser) {
    return this.messages.send(body, user);
  }

  @Get('messages/:id')
  @ApiOperation({
    summary: 'A routed message with its attempts and fallbacks',
    description:
      'metadata.digest: on a gathered message {id, dueAt, messageId once its digest went, dropped ' +
      'when it was left out}; on a digest {id, carried: [message ids], dropped}.',
  })
  @ApiZodResponse(200, 'The message with its attempts and fallbacks', MessageDetailResponse)
  async get(@IdParam() id: string, @CurrentUser() user: AuthUser) {
    const message = await this.messages.get(id);
    await this.visibility.assertCanSeeConversationOf(user, message.conversationId);
    return message;
  }

  @Post('routing/preview')
  @ApiOperation({
    summary: 'Preview the route and the rendered message; sends nothing',
    description:
      'Answers {route, digest, explanation, rendered}. digest: {gathered: true, digestId (null: a new ' +
      "digest would open), dueAt} when a send now would wait in the customer's digest (route.sendAt is then " +
      'its due time), else {gathered: false}. explanation: {en: [...], "zh-CN": [...]}, the route in plain words.',
  })
  @HttpCode(200)
  @ApiZodBody(SendMessageBody)
  @ApiZodResponse(200, 'The route and the rendered message', PreviewResponse)
  preview(@ZodBody(SendMessageBody) body: SendMessage, @CurrentUser() user: AuthUser) {
    return this.messages.preview(body, user);
  }
}
