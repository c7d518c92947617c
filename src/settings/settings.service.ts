import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** Small key/value facts every instance must agree on (a generated signing secret, say). */
@Injectable()
export class SettingsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Returns the stored value, storing `create()` first when absent (race-safe across instances). */
  async getOrCreate(key: string, create: () => string): Promise<string> {
    await this.db.query(
      `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`,
      [key, create()],
    );
    const rows = (await this.db.query(`SELECT value FROM settings WHERE key = $1`, [
      key,
    ])) as Array<{ value: string }>;
    return rows[0].value;
  }
}
