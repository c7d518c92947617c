import { Module } from '@nestjs/common';
import { PrivacyController } from './privacy.controller';
import { PrivacyService } from './privacy.service';

/** Export and erasure of a customer's data. */
@Module({ controllers: [PrivacyController], providers: [PrivacyService] })
export class PrivacyModule {}
