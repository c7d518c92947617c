import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { IdParam } from '../common/http/id-param';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { ApiZodBody, ZodBody } from '../common/http/zod-body';
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
  @HttpCode(202)
  @ApiZodBody(SendMessageBody)
  send(@ZodBody(SendMessageBody) body: SendMessage, @CurrentUser() user: AuthUser) {
    return this.messages.send(body, user);
  }

  @Get('messages/:id')
  async get(@IdParam() id: string, @CurrentUser() user: AuthUser) {
    const message = await this.messages.get(id);
    await this.visibility.assertCanSeeConversationOf(user, message.conversationId);
    return message;
  }

  @Post('routing/preview')
  @HttpCode(200)
  @ApiZodBody(SendMessageBody)
  preview(@ZodBody(SendMessageBody) body: SendMessage, @CurrentUser() user: AuthUser) {
    return this.messages.preview(body, user);
  }
}
