import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { ApiZodBody, ApiZodResponse, ZodBody, ZodQuery } from '../common/http/zod-body';
import { decodeCursor, encodeCursor } from '../inbox/cursor';
import { NotificationsQuery, ReadBody } from './notifications.dto';
import {
  NotificationListResponse,
  ReadResponse,
  UnreadCountResponse,
} from './notifications.responses';
import { NotificationsService } from './notifications.service';

/** The caller's own notification centre; new rows also arrive live as the `notification` socket event. */
@ApiTags('inbox')
@ApiBearerAuth()
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({
    summary: 'My notifications, newest first',
    description:
      'Mentions, assignments, SLA warnings and breaches, due follow-ups of the caller only. ' +
      '`kind` and `data` (by, customer, note, sla) make the title: clients translate them. ' +
      "`unread=true` lists unread ones; `cursor` is the previous page's `nextCursor`.",
  })
  @ApiZodResponse(200, 'A page of notifications', NotificationListResponse)
  async list(
    @CurrentUser() user: AuthUser,
    @ZodQuery(NotificationsQuery) q: z.infer<typeof NotificationsQuery>,
  ) {
    const items = await this.notifications.list(user.id, {
      unread: q.unread,
      after: q.cursor ? decodeCursor(q.cursor) : null,
      limit: q.limit,
    });
    const last = items.length === q.limit ? items[items.length - 1] : undefined;
    return {
      items,
      nextCursor: last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
    };
  }

  @Get('unread-count')
  @ApiOperation({ summary: 'How many of my notifications are unread, in all and per kind' })
  @ApiZodResponse(200, 'Unread, in all and per kind', UnreadCountResponse)
  unreadCount(@CurrentUser() user: AuthUser) {
    return this.notifications.unreadCount(user.id);
  }

  @Post('read')
  @HttpCode(200)
  @ApiZodBody(ReadBody)
  @ApiOperation({
    summary: 'Mark my notifications read',
    description: "`{ids: [...]}` marks those (others' ids are ignored); `{all: true}` marks all.",
  })
  @ApiZodResponse(200, 'How many were marked, how many are left unread', ReadResponse)
  async read(@CurrentUser() user: AuthUser, @ZodBody(ReadBody) body: z.infer<typeof ReadBody>) {
    const updated = await this.notifications.markRead(user.id, body.all ? 'all' : body.ids!);
    const { count } = await this.notifications.unreadCount(user.id);
    return { updated, count };
  }
}
