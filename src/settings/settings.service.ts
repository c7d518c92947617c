import { Injectable } from '@nestjs/common';
import { SettingsRepository } from './settings.repository';

/** Small key/value facts every instance must agree on (a generated signing secret, say). */
@Injectable()
export class SettingsService {
  constructor(private readonly repo: SettingsRepository) {}

  /** Returns the stored value, storing `create()` first when absent (race-safe across instances). */
  async getOrCreate(key: string, create: () => string): Promise<string> {
    await this.repo.insertIfAbsent(key, create());
    const value = await this.repo.valueOf(key);
    if (value === null) throw new Error(`setting ${key} is missing right after it was stored`);
    return value;
  }
}
