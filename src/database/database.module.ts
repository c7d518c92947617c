import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { READ_DATA_SOURCE, ReadDataSource } from './read-data-source';
import { Transactions } from './transactions';

/** A replica that does not answer within this is down for the read (it then goes to the primary). */
const REPLICA_CONNECT_TIMEOUT_MS = 2000;

/**
 * Infrastructure: the transaction boundary every domain's services may open, and the data
 * source of lag-tolerant reads (@InjectReadDataSource(): DATABASE_REPLICA_URL, else the primary).
 */
@Global()
@Module({
  providers: [
    Transactions,
    {
      provide: READ_DATA_SOURCE,
      inject: [DataSource, AppConfig],
      useFactory: (primary: DataSource, config: AppConfig) => {
        const url = config.env.DATABASE_REPLICA_URL;
        if (!url) return new ReadDataSource(primary);
        const options = dataSourceOptions(url);
        return new ReadDataSource(
          primary,
          {
            ...options,
            // The replica's pool is never migrated: migrations run on the primary only.
            migrations: [],
            extra: { ...options.extra, connectionTimeoutMillis: REPLICA_CONNECT_TIMEOUT_MS },
          },
          config.env.DATABASE_PREPARED_STATEMENTS,
        );
      },
    },
  ],
  exports: [Transactions, READ_DATA_SOURCE],
})
export class DatabaseModule {}
