import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { notFound } from '../common/errors/domain-error';
import { IdParam } from '../common/http/id-param';
import { ApiZodResponse } from '../common/http/zod-body';
import { CustomerCampaignsResponse } from '../customers/customers.responses';
import { CustomerCampaignsRepository } from './customer-campaigns.repository';

/** The campaigns one customer received, for the customer panel. */
@ApiTags('customers')
@ApiBearerAuth()
@Controller('api/v1/customers')
export class CustomerCampaignsController {
  constructor(private readonly repo: CustomerCampaignsRepository) {}

  @Get(':id/campaigns')
  @ApiOperation({
    summary: 'Campaigns this customer received, newest first',
    description:
      'Up to 50 `{campaignId, name, sentAt, channel, status: sent|suppressed, suppression, ' +
      'delivery, opened, clicked}`.',
  })
  @ApiZodResponse(200, 'The campaigns, newest first', CustomerCampaignsResponse)
  async received(@IdParam() id: string) {
    const items = await this.repo.received(id);
    if (!items) throw notFound('customer', id);
    return { items };
  }
}
