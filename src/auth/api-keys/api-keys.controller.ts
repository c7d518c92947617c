import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdParam } from '../../common/http/id-param';
import { ApiZodBody, ApiZodResponse, ZodBody } from '../../common/http/zod-body';
import { CurrentUser, type AuthUser } from '../auth.decorators';
import {
  ApiKeyListResponse,
  NewApiKeyBody,
  NewApiKeyResponse,
  type NewApiKeyInput,
} from './api-keys.responses';
import { ApiKeysService } from './api-keys.service';

/** API keys of service integrations (admins). */
@ApiTags('integrations')
@ApiBearerAuth()
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ApiOperation({
    summary: 'Create an API key (shown once)',
    description:
      "Send it as `Authorization: Bearer <key>`. Scopes are `<resource>:read|write` (write also reads); routes of users, teams, settings and keys are never open to keys. The key acts for the admin who creates it and stops with its revocation, its expiry or that admin's deactivation; each use is audited and rate limited (API_KEY_REQUESTS_PER_MINUTE).",
  })
  @ApiZodBody(NewApiKeyBody)
  @ApiZodResponse(201, 'The key, with its secret this once', NewApiKeyResponse)
  create(@ZodBody(NewApiKeyBody) body: NewApiKeyInput, @CurrentUser() user: AuthUser) {
    return this.keys.create(body, user);
  }

  @Get()
  @ApiOperation({ summary: 'API keys, newest first (never the secret)' })
  @ApiZodResponse(200, 'The keys, revoked ones included', ApiKeyListResponse)
  async list() {
    return { items: await this.keys.list() };
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke an API key (at once, on every instance)' })
  @HttpCode(204)
  async revoke(@IdParam() id: string, @CurrentUser() user: AuthUser): Promise<void> {
    await this.keys.revoke(id, user);
  }
}
