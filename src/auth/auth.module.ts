import { Global, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { SettingsService } from '../settings/settings.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { User } from './entities/user.entity';
import { TokenService } from './token.service';
import { UsersService } from './users.service';

@Global()
@Module({
  imports: [JwtModule.register({}), TypeOrmModule.forFeature([User])],
  controllers: [AuthController],
  providers: [
    SettingsService,
    TokenService,
    UsersService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [TokenService, UsersService, SettingsService],
})
export class AuthModule implements OnApplicationBootstrap {
  constructor(
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.runsApi) {
      await this.users.ensureAdmin(
        this.config.adminEmail,
        this.config.adminPassword,
        this.config.adminPasswordGenerated,
      );
    }
  }
}
