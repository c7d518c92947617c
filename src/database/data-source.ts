import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { join } from 'path';
import { dataSourceOptions } from './data-source-options';

/** For the TypeORM CLI (`npm run migration:generate`): DATABASE_URL must point at a real server. */
export default new DataSource({
  ...dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'),
  entities: [join(__dirname, '..', '**', '*.entity.{ts,js}')],
});
