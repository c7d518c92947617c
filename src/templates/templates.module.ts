import { existsSync } from 'fs';
import { join, resolve } from 'path';
import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { TemplateEngine } from './template-engine';
import { TemplatesController } from './templates.controller';
import { TemplateVersionsRepository } from './template-versions.repository';
import { TemplateVersionsService } from './template-versions.service';

/** The shipped templates directory: TEMPLATES_DIR, else templates/ at the project root. */
function templatesDirectory(config: AppConfig): string {
  if (config.env.TEMPLATES_DIR) return resolve(config.env.TEMPLATES_DIR);
  const beside = resolve(__dirname, '../../templates');
  return existsSync(beside) ? beside : join(process.cwd(), 'templates');
}

/** One TemplateEngine per process: shipped files plus database versions (see TemplateVersionsService). */
@Module({
  controllers: [TemplatesController],
  providers: [
    {
      provide: TemplateEngine,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new TemplateEngine({ directory: templatesDirectory(config) }),
    },
    TemplateVersionsRepository,
    TemplateVersionsService,
  ],
  exports: [TemplateEngine, TemplateVersionsService],
})
export class TemplatesModule {}
