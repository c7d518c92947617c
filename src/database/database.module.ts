import { Global, Module } from '@nestjs/common';
import { Transactions } from './transactions';

/** Infrastructure: the transaction boundary every domain's services may open. */
@Global()
@Module({ providers: [Transactions], exports: [Transactions] })
export class DatabaseModule {}
