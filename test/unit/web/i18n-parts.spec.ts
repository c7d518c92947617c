import { readFileSync } from 'fs';
import { join } from 'path';

const DIR = join(__dirname, '..', '..', '..', 'web', 'src', 'i18n');

/** The keys written in a catalog file itself (not those it spreads in). */
function ownKeys(file: string): string[] {
  return [...readFileSync(join(DIR, file), 'utf8').matchAll(/^\s+['"]([\w.-]+)['"]:/gm)].map(
    (m) => m[1],
  );
}

/** The parts a catalog spreads in: every `import { part } from './file'` of it but the types. */
function partsOf(main: string): Array<[string, Record<string, string>]> {
  const source = readFileSync(join(DIR, main), 'utf8');
  return [...source.matchAll(/^import \{ (\w+) \} from '\.\/([\w-]+)';$/gm)].map(
    ([, name, file]) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(join(DIR, file)) as Record<string, Record<string, string>>;
      return [name, mod[name]];
    },
  );
}

/**
 * The catalogs are spread together from parts; a key in two parts is silently overwritten by
 * whichever comes last, so a screen shows another screen's words ("解决（分钟）剩余" once).
 */
describe.each([
  ['en', 'en.ts'],
  ['zh-CN', 'zh-CN.ts'],
])('the %s catalog parts', (_lang, main) => {
  it('are found, and each is spread into the catalog', () => {
    const parts = partsOf(main);
    expect(parts.length).toBeGreaterThanOrEqual(6);
    const source = readFileSync(join(DIR, main), 'utf8');
    for (const [name, part] of parts) {
      expect([name, typeof part]).toEqual([name, 'object']);
      expect([name, source.includes(`...${name},`)]).toEqual([name, true]);
    }
  });

  it('define each key once', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    const sources: Array<[string, string[]]> = [
      [main, ownKeys(main)],
      ...partsOf(main).map(([name, part]): [string, string[]] => [name, Object.keys(part)]),
    ];
    for (const [name, keys] of sources)
      for (const key of keys) {
        const first = seen.get(key);
        if (first !== undefined) twice.push(`${key}: ${first} and ${name}`);
        else seen.set(key, name);
      }
    expect(twice).toEqual([]);
  });
});
