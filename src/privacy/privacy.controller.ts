import { Controller, Delete, Get } from '@nestjs/common';
import { IdParam } from '../common/http/id-param';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { PrivacyService } from './privacy.service';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('api/v1/customers')
export class PrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  @Get(':id/export')
  export(@IdParam() id: string, @CurrentUser() user: AuthUser) {
    return this.privacy.export(id, user.id);
  }

  @Delete(':id')
  erase(@IdParam() id: string, @CurrentUser() user: AuthUser) {
    return this.privacy.erase(id, user.id);
  }
}
