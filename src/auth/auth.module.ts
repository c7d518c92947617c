import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config';
import { SettingsRepository } from '../settings/settings.repository';
import { SettingsService } from '../settings/settings.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { TwoFactorEnrolmentGuard } from './enrolment.guard';
import { LoginThrottle } from './login-throttle';
import { LoginService } from './login.service';
import { PasswordHasher } from './password-hasher';
import { TokenService } from './token.service';
import { TotpService } from './totp.service';
import { TwoFactorService } from './two-factor.service';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [JwtModule.register({})],
  controllers: [AuthController, UsersController],
  providers: [
    SettingsRepository,
    SettingsService,
    TokenService,
    UsersRepository,
    UsersService,
    PasswordHasher,
    LoginThrottle,
    LoginService,
    TotpService,
    TwoFactorService,
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: TwoFactorEnrolmentGuard },
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
