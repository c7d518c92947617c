import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditService } from '../audit/audit.service';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { IdParam } from '../common/http/id-param';
import { ApiZodResponse } from '../common/http/zod-body';
import { PreferenceLinkResponse } from '../customers/customers.responses';
import { PreferenceCentreService } from './preference-centre.service';

/**
 * A signed link to a customer's preference centre, for staff to hand over (a chat, a call). Who
 * holds the link can change the customer's consent and channels, so each one issued is audited.
 */
@ApiTags('customers')
@ApiBearerAuth()
@Controller('api/v1/customers')
export class PreferenceLinkController {
  constructor(
    private readonly centre: PreferenceCentreService,
    private readonly audit: AuditService,
  ) {}

  @Post(':id/preference-link')
  @HttpCode(200)
  @ApiOperation({
    summary: "Issue a link to the customer's preference centre (GET /p/:token)",
    description:
      'Valid PREFERENCE_LINK_TTL_DAYS days; anyone holding it can change the customer’s channels, quiet hours and consent. Audited.',
  })
  @ApiZodResponse(200, 'The link', PreferenceLinkResponse)
  issue(@IdParam() id: string, @CurrentUser() user: AuthUser) {
    return this.issueFor(id, user);
  }

  /** API.md's form of the same call. */
  @Get(':id/preference-link')
  @ApiOperation({ summary: 'Same as POST: issue a link to the customer’s preference centre' })
  @ApiZodResponse(200, 'The link', PreferenceLinkResponse)
  get(@IdParam() id: string, @CurrentUser() user: AuthUser) {
    return this.issueFor(id, user);
  }

  private async issueFor(id: string, user: AuthUser) {
    const link = await this.centre.link(id);
    await this.audit.record({
      actorId: user.id,
      action: 'customer.preference-link',
      entityType: 'customer',
      entityId: id,
      details: { expiresAt: link.expiresAt },
    });
    return link;
  }
}
