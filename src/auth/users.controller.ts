import { Controller, Get, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ROLES } from '../common/names';
import { IdParam } from '../common/http/id-param';
import { ApiZodBody, ZodBody } from '../common/http/zod-body';
import { UsersService } from './users.service';

const NewUserBody = z.object({
  email: z.string().email().max(320),
  name: z.string().min(1).max(200),
  // Length, bytes and strength are checked by the password policy, which names the reason.
  password: z.string().max(1024),
  role: z.enum(ROLES),
  capacity: z.number().int().min(1).max(1000).optional(),
});
const UserChangesBody = z
  .object({
    role: z.enum(ROLES).optional(),
    active: z.boolean().optional(),
    capacity: z.number().int().min(1).max(1000).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'give at least one of role, active, capacity');

// Who may call each route: src/auth/permissions.ts (admin writes, managers read).
@ApiTags('auth')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a user (password: 10+ characters, at most 256 bytes, not common or guessable)',
  })
  @ApiZodBody(NewUserBody)
  async create(@ZodBody(NewUserBody) body: z.infer<typeof NewUserBody>) {
    return this.users.create(body);
  }

  @Get()
  async list() {
    return { items: await this.users.list() };
  }

  @Patch(':id')
  @ApiOperation({
    summary: "Change a user's role, active state or capacity",
    description:
      "Takes effect on the user's next request: roles are read from the user's row, and deactivating ends the user's tokens. " +
      "Deactivation and a role change close the user's open /agents sockets. The last active admin cannot be demoted or deactivated (409).",
  })
  @ApiZodBody(UserChangesBody)
  async update(
    @IdParam() id: string,
    @ZodBody(UserChangesBody) body: z.infer<typeof UserChangesBody>,
  ) {
    return this.users.update(id, body);
  }
}
