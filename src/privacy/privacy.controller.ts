import { Controller, Delete, Get } from '@nestjs/common';
import { IdParam } from '../common/http/id-param';
import { ApiBearerAuth, ApiTags, ApiOperation } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { ApiZodResponse } from '../common/http/zod-body';
import { CustomerErasureResponse, CustomerExportResponse } from '../customers/customers.responses';
import { PrivacyService } from './privacy.service';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('api/v1/customers')
export class PrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  @Get(':id/export')
  @ApiOperation({ summary: 'Export every piece of data held on a customer' })
  @ApiZodResponse(200, 'The data, table by table', CustomerExportResponse)
  export(@IdParam() id: string, @CurrentUser() user: AuthUser) {
    return this.privacy.export(id, user.id);
  }

  @Delete(':id')
  @ApiOperation({ summary: "Erase a customer's personal data (aggregate counts kept)" })
  @ApiZodResponse(200, 'What was removed', CustomerErasureResponse)
  erase(@IdParam() id: string, @CurrentUser() user: AuthUser) {
    return this.privacy.erase(id, user.id);
  }
}
