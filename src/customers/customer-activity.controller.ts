import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdParam } from '../common/http/id-param';
import { ApiZodResponse } from '../common/http/zod-body';
import { CustomerActivityRepository, LATEST_SHOWN } from './customer-activity.repository';
import { CustomerActivityResponse } from './customers.responses';
import { CustomersService } from './customers.service';

/** The customer page's summary: how much was said on which channel, no conversation content. */
@ApiTags('customers')
@ApiBearerAuth()
@Controller('api/v1/customers')
export class CustomerActivityController {
  constructor(
    private readonly customers: CustomersService,
    private readonly activity: CustomerActivityRepository,
  ) {}

  @Get(':id/activity')
  @ApiOperation({
    summary: "A summary of the customer's messages and how each address was verified",
    description:
      'Messages per channel and direction, the last inbound and outbound, the latest ' +
      `${LATEST_SHOWN} (channel, direction, status, purpose, topic, template, time: never ` +
      'their text), and for each identity whether the customer proved it: a message received ' +
      'from it (inbound) or a verified live-chat claim (livechat).',
  })
  @ApiZodResponse(200, 'The summary', CustomerActivityResponse)
  async summary(@IdParam() id: string) {
    await this.customers.get(id);
    const [channels, last, latest, identities] = await Promise.all([
      this.activity.channelCounts(id),
      this.activity.lastContacts(id),
      this.activity.latest(id),
      this.activity.proofs(id),
    ]);
    return { channels, ...last, latest, identities };
  }
}
