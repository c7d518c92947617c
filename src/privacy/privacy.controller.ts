import { Controller, Delete, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '../auth/auth.decorators';
import { PrivacyService } from './privacy.service';

const Uuid = () => Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 400 }));

@ApiTags('customers')
@ApiBearerAuth()
@Roles('supervisor')
@Controller('api/v1/customers')
export class PrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  @Get(':id/export')
  export(@Uuid() id: string, @CurrentUser() user: AuthUser) {
    return this.privacy.export(id, user.id);
  }

  @Delete(':id')
  erase(@Uuid() id: string, @CurrentUser() user: AuthUser) {
    return this.privacy.erase(id, user.id);
  }
}
