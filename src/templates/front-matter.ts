import type { Purpose } from '../common/names';
import { parsePurposes } from './purposes';

/** A tiny front-matter reader: `---\nsubject: ...\nlayout: ...\n---\n` then the body. */
export interface FrontMatter {
  subject?: string;
  layout?: string;
  description?: string;
  /** What the template may be sent for: `purposes: transactional, service`. */
  purposes?: Purpose[];
}

export interface ParsedTemplateFile {
  fields: FrontMatter;
  body: string;
  /** Lines before the body (to report body errors with file line numbers). */
  bodyLineOffset: number;
}

const KNOWN = new Set(['subject', 'layout', 'description', 'purposes']);

function unquote(value: string): string {
  const v = value.trim();
  if (
    v.length >= 2 &&
    ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))
  ) {
    return v.slice(1, -1).replace(/\\"/g, '"');
  }
  return v;
}

/** Throws an Error naming the line when the front matter is not closed or malformed. */
export function parseFrontMatter(source: string): ParsedTemplateFile {
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  if (!text.startsWith('---\n')) return { fields: {}, body: text, bodyLineOffset: 0 };
  const lines = text.split('\n');
  const fields: FrontMatter = {};
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '---') {
      return { fields, body: lines.slice(i + 1).join('\n'), bodyLineOffset: i + 1 };
    }
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!KNOWN.has(name))
      throw new Error(
        `front matter line ${i + 1}: expected subject, layout, description or purposes`,
      );
    const value = unquote(line.slice(colon + 1));
    if (name === 'purposes') {
      try {
        fields.purposes = parsePurposes(value);
      } catch (e) {
        throw new Error(`front matter line ${i + 1}: ${(e as Error).message}`);
      }
    } else fields[name as 'subject' | 'layout' | 'description'] = value;
  }
  throw new Error('front matter is not closed with ---');
}
