import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/** The transaction a service opens around several repository calls; repositories take its `tx`. */
export type Tx = EntityManager;

/**
 * Lets a service make several repositories' writes atomic without holding the data source or
 * writing SQL: `transactions.run((tx) => ...)`, each repository method taking an optional `tx`.
 */
@Injectable()
export class Transactions {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }
}
