import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { IdParam } from '../common/http/id-param';
import { ApiZodBody, ApiZodResponse, ZodBody } from '../common/http/zod-body';
import { MacroListResponse, MacroRunResponse, MacroSchema } from './automation.responses';
import { MacroBody, MacroChangesBody } from './automation.schema';
import { MacrosService } from './macros.service';

/** Macros: named action sequences an agent runs on a conversation with one click. */
@ApiTags('automation')
@ApiBearerAuth()
@Controller('api/v1')
export class MacrosController {
  constructor(private readonly macros: MacrosService) {}

  @Get('macros')
  @ApiOperation({ summary: 'Shared macros and your own' })
  @ApiZodResponse(200, 'Macros by name', MacroListResponse)
  async list(@CurrentUser() user: AuthUser) {
    return { items: await this.macros.list(user) };
  }

  @Post('macros')
  @ApiOperation({
    summary: 'Create a macro (personal; `shared: true` for supervisors and admins)',
    description: 'Same actions as automation rules. 422 names a missing team, agent or template.',
  })
  @ApiZodBody(MacroBody)
  @ApiZodResponse(201, 'The macro', MacroSchema)
  create(@CurrentUser() user: AuthUser, @ZodBody(MacroBody) body: z.infer<typeof MacroBody>) {
    return this.macros.create(user, body);
  }

  @Patch('macros/:id')
  @ApiOperation({ summary: 'Change a macro (yours, or a shared one as a supervisor or admin)' })
  @ApiZodBody(MacroChangesBody)
  @ApiZodResponse(200, 'The macro as changed', MacroSchema)
  update(
    @CurrentUser() user: AuthUser,
    @IdParam() id: string,
    @ZodBody(MacroChangesBody) body: z.infer<typeof MacroChangesBody>,
  ) {
    return this.macros.update(user, id, body);
  }

  @Delete('macros/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a macro' })
  @ApiResponse({ status: 204, description: 'Deleted' })
  async remove(@CurrentUser() user: AuthUser, @IdParam() id: string): Promise<void> {
    await this.macros.remove(user, id);
  }

  @Post('conversations/:id/macros/:macroId')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Run a macro on a conversation',
    description:
      'Its actions in order, as the caller (team visibility applies); each reported ok or with ' +
      'its error. The run is logged on the timeline.',
  })
  @ApiZodResponse(200, 'What each action did, and the conversation after', MacroRunResponse)
  run(@CurrentUser() user: AuthUser, @IdParam() id: string, @IdParam('macroId') macroId: string) {
    return this.macros.run(user, id, macroId);
  }
}
