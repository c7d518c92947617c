import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiOperation } from '@nestjs/swagger';
import { IdParam } from '../common/http/id-param';
import { ApiZodResponse } from '../common/http/zod-body';
import { IdentityClaimsResponse } from '../customers/customers.responses';
import { CustomersService } from '../customers/customers.service';
import { IdentityClaimsRepository, type ClaimView } from './identity-claims.repository';

/**
 * What live-chat visitors claimed to be, for the agent's customer panel: the claims made by the
 * customer's visitors and the claims naming the customer's addresses, each verified or not.
 */
@ApiTags('customers')
@ApiBearerAuth()
@Controller('api/v1/customers')
export class IdentityClaimsController {
  constructor(
    private readonly customers: CustomersService,
    private readonly claims: IdentityClaimsRepository,
  ) {}

  @Get(':id/identity-claims')
  @ApiOperation({ summary: 'Identities a live-chat visitor claimed for this customer' })
  @ApiZodResponse(200, 'The claims', IdentityClaimsResponse)
  async list(@IdParam() id: string): Promise<{ items: ClaimView[] }> {
    await this.customers.get(id);
    return { items: await this.claims.ofCustomer(id) };
  }
}
