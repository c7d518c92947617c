import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

interface CountsRow {
  teams: number;
  cannedResponses: number;
  adminsWithTemporaryPassword: number;
}

/** The counts the first-run checklist reads, in one statement. */
@Injectable()
export class SetupFactsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async counts(): Promise<CountsRow> {
    const rows = (await this.db.query(
      `SELECT (SELECT count(*) FROM teams)::int AS teams,
              (SELECT count(*) FROM canned_responses)::int AS "cannedResponses",
              (SELECT count(*) FROM users WHERE role = 'admin' AND active AND password_temporary)::int
                AS "adminsWithTemporaryPassword"`,
    )) as CountsRow[];
    return rows[0];
  }
}
