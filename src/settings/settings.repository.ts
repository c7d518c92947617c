import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

type Row = Record<string, unknown>;

/** The settings table: one text value per key. */
@Injectable()
export class SettingsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Stores the value unless the key has one already (the first instance to store it wins). */
  async insertIfAbsent(key: string, value: string): Promise<void> {
    await this.db.query(
      `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`,
      [key, value],
    );
  }

  /** Stores the value, replacing any. */
  async upsert(key: string, value: string): Promise<void> {
    await this.db.query(
      `INSERT INTO settings (key, value) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [key, value],
    );
  }

  async remove(key: string): Promise<void> {
    await this.db.query(`DELETE FROM settings WHERE key = $1`, [key]);
  }

  async valueOf(key: string): Promise<string | null> {
    const rows = (await this.db.query(`SELECT value FROM settings WHERE key = $1`, [key])) as Row[];
    return rows[0] ? (rows[0].value as string) : null;
  }
}
