import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { IdParam } from '../common/http/id-param';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { ApiZodBody, ZodBody } from '../common/http/zod-body';
import { SendMessageBody, type SendMessage } from './messages.dto';
import { MessagesService } from './messages.service';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('api/v1')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Post('messages')
  @HttpCode(202)
  @ApiZodBody(SendMessageBody)
  send(@ZodBody(SendMessageBody) body: SendMessage, @CurrentUser() user: AuthUser) {
    return this.messages.send(body, user.id);
  }

  @Get('messages/:id')
  get(@IdParam() id: string) {
    return this.messages.get(id);
  }

  @Post('routing/preview')
  @HttpCode(200)
  @ApiZodBody(SendMessageBody)
  preview(@ZodBody(SendMessageBody) body: SendMessage) {
    return this.messages.preview(body);
  }
}
