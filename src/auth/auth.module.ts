import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AuditModule } from '../audit/audit.module';
import { SettingsRepository } from '../settings/settings.repository';
import { SettingsService } from '../settings/settings.service';
import { ApiKeyThrottle } from './api-keys/api-key-throttle';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysRepository } from './api-keys/api-keys.repository';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { TwoFactorEnrolmentGuard } from './enrolment.guard';
import { LoginThrottle } from './login-throttle';
import { LoginService } from './login.service';
import { PasswordHasher } from './password-hasher';
import { PasswordResetService } from './password-reset.service';
import { TokenService } from './token.service';
import { TotpService } from './totp.service';
import { TwoFactorService } from './two-factor.service';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [JwtModule.register({}), AuditModule],
  controllers: [AuthController, UsersController, ApiKeysController],
  providers: [
    SettingsRepository,
    SettingsService,
    TokenService,
    UsersRepository,
    UsersService,
    PasswordHasher,
    PasswordResetService,
    LoginThrottle,
    ApiKeysRepository,
    ApiKeyThrottle,
    ApiKeysService,
    LoginService,
    TotpService,
    TwoFactorService,
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: TwoFactorEnrolmentGuard },
  ],
  exports: [TokenService, UsersService, SettingsService, PasswordResetService],
})
export class AuthModule {}
