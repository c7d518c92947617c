import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { DomainError } from '../common/errors/domain-error';
import { ROLES } from '../common/names';
import { ApiZodBody, ZodBody } from '../common/http/zod-body';
import { CurrentUser, type AuthUser } from './auth.decorators';
import { TokenService } from './token.service';
import { UsersService } from './users.service';
import type { User } from './entities/user.entity';

const LoginBody = z.object({
  email: z.string().min(1).max(320),
  password: z.string().min(1).max(200),
});
const NewUserBody = z.object({
  email: z.string().email().max(320),
  name: z.string().min(1).max(200),
  password: z.string().min(8).max(200),
  role: z.enum(ROLES),
  capacity: z.number().int().min(1).max(1000).optional(),
});

const view = (u: User) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  capacity: u.capacity,
  active: u.active,
});

@ApiTags('auth')
@Controller('api/v1')
export class AuthController {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokenService,
  ) {}

  @Post('auth/login')
  @HttpCode(200)
  @ApiZodBody(LoginBody)
  async login(@ZodBody(LoginBody) body: z.infer<typeof LoginBody>) {
    const user = await this.users.checkPassword(body.email, body.password);
    if (!user) throw new DomainError('unauthorized', 'wrong email or password');
    return { accessToken: this.tokens.sign(user), user: view(user) };
  }

  @ApiBearerAuth()
  @Get('auth/me')
  async me(@CurrentUser() user: AuthUser) {
    return view(await this.users.get(user.id));
  }

  @ApiBearerAuth()
  @Post('users')
  @ApiZodBody(NewUserBody)
  async createUser(@ZodBody(NewUserBody) body: z.infer<typeof NewUserBody>) {
    return view(await this.users.create(body));
  }

  @ApiBearerAuth()
  @Get('users')
  async listUsers() {
    return { items: (await this.users.list()).map(view) };
  }
}
