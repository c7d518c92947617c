import { Module } from '@nestjs/common';
import { ConsentRepository } from './consent.repository';
import { ConsentService } from './consent.service';

@Module({ providers: [ConsentService, ConsentRepository], exports: [ConsentService] })
export class ConsentModule {}
