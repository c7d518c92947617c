/** Reads templates/ from disk: <key>/<channel>[.<variant>].<locale>.hbs, _partials/, _layouts/. */
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { CHANNELS } from '../common/names';
import type { Channel } from '../common/names';
import { parseFrontMatter } from './front-matter';
import { TemplateError } from './template-error';
import type { NamedSource, TemplateSource } from './template-types';

export interface TemplateDirectory {
  templates: TemplateSource[];
  partials: NamedSource[];
  layouts: NamedSource[];
}

function hbsFiles(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.hbs'))
        .sort()
    : [];
}

function readNamed(dir: string): NamedSource[] {
  return hbsFiles(dir).map((file) => {
    const parts = file.slice(0, -4).split('.');
    const path = join(dir, file);
    if (parts.length > 2)
      throw new TemplateError(
        'invalidFile',
        `bad file name ${path}: expected <name>[.<locale>].hbs`,
      );
    return { name: parts[0], locale: parts[1] ?? null, body: readFileSync(path, 'utf8'), path };
  });
}

function readTemplate(key: string, dir: string, file: string): TemplateSource {
  const path = join(dir, file);
  const parts = file.slice(0, -4).split('.');
  const channel = parts[0] as Channel;
  if (!CHANNELS.includes(channel) || parts.length < 2 || parts.length > 3) {
    throw new TemplateError(
      'invalidFile',
      `bad template file name ${path}: expected <channel>[.<variant>].<locale>.hbs with a channel of ${CHANNELS.join(', ')}`,
    );
  }
  let parsed;
  try {
    parsed = parseFrontMatter(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new TemplateError('invalidFile', `${path}: ${(error as Error).message}`);
  }
  return {
    key,
    channel,
    variant: parts.length === 3 ? parts[1] : null,
    locale: parts[parts.length - 1],
    ...parsed.fields,
    body: parsed.body,
    bodyLineOffset: parsed.bodyLineOffset,
    version: 0,
    origin: 'file',
    path,
  };
}

export function readTemplateDirectory(root: string): TemplateDirectory {
  const templates: TemplateSource[] = [];
  for (const key of readdirSync(root).sort()) {
    const dir = join(root, key);
    if (key.startsWith('_') || key.startsWith('.') || !statSync(dir).isDirectory()) continue;
    for (const file of hbsFiles(dir)) templates.push(readTemplate(key, dir, file));
  }
  return {
    templates,
    partials: readNamed(join(root, '_partials')),
    layouts: readNamed(join(root, '_layouts')),
  };
}
