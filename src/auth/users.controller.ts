import { Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ROLES } from '../common/names';
import { IdParam } from '../common/http/id-param';
import { ApiZodBody, ApiZodResponse, ZodBody } from '../common/http/zod-body';
import {
  NewUserResponse,
  TemporaryPasswordResponse,
  UserListResponse,
  UserResponse,
} from './auth.responses';
import { UsersService } from './users.service';

const NewUserBody = z.object({
  email: z.string().email().max(320),
  name: z.string().min(1).max(200),
  // Length, bytes and strength are checked by the password policy, which names the reason.
  // Absent: an invitation, with a temporary password generated and returned once.
  password: z.string().max(1024).optional(),
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
const PasswordResetBody = z
  .object({
    /** Absent: one is generated. Either way it is returned once and marked temporary. */
    password: z.string().max(1024).optional(),
  })
  .strict();

// Who may call each route: src/auth/permissions.ts (admin writes, managers read).
@ApiTags('auth')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a user (password: 10+ characters, at most 256 bytes, not common or guessable)',
    description:
      'Without password the user is invited: a temporary password is generated and returned once as temporaryPassword.',
  })
  @ApiZodResponse(201, 'The new user', NewUserResponse)
  @ApiZodBody(NewUserBody)
  async create(@ZodBody(NewUserBody) body: z.infer<typeof NewUserBody>) {
    return this.users.create(body);
  }

  @Get()
  @ApiOperation({
    summary: 'Every user with role, state, 2FA, last sign-in and whether the password is temporary',
  })
  @ApiZodResponse(200, 'The users', UserListResponse)
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
  @ApiZodResponse(200, 'The user as changed', UserResponse)
  @ApiZodBody(UserChangesBody)
  async update(
    @IdParam() id: string,
    @ZodBody(UserChangesBody) body: z.infer<typeof UserChangesBody>,
  ) {
    return this.users.update(id, body);
  }

  @Post(':id/password')
  @HttpCode(200)
  @ApiOperation({
    summary: "Reset a user's password to a temporary one: {temporaryPassword}, shown this once",
    description:
      "Given or generated; it must pass the password policy (400 naming the reason). Every token of the user ends and the user's sockets close.",
  })
  @ApiZodResponse(200, 'The temporary password', TemporaryPasswordResponse)
  @ApiZodBody(PasswordResetBody)
  async resetPassword(
    @IdParam() id: string,
    @ZodBody(PasswordResetBody) body: z.infer<typeof PasswordResetBody>,
  ) {
    return this.users.resetPassword(id, body.password);
  }
}
