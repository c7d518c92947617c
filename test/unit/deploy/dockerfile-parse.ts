/** A Dockerfile read as its instructions, grouped by stage; enough for the deploy checks. */
export interface Instruction {
  /** Upper-cased: FROM, RUN, COPY, ... */
  keyword: string;
  args: string;
  /** 1-based line where the instruction starts. */
  line: number;
}

export interface Stage {
  name: string;
  image: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  let pending = '';
  let startLine = 0;
  text.split('\n').forEach((raw, i) => {
    const trimmed = raw.trim();
    if (!pending && (trimmed === '' || trimmed.startsWith('#'))) return;
    if (pending && trimmed.startsWith('#')) return;
    if (!pending) startLine = i + 1;
    const continued = trimmed.endsWith('\\');
    pending += `${continued ? trimmed.slice(0, -1) : trimmed} `;
    if (continued) return;
    const [keyword, ...rest] = pending.trim().split(/\s+/);
    const instruction = { keyword: keyword.toUpperCase(), args: rest.join(' '), line: startLine };
    pending = '';
    if (instruction.keyword === 'FROM') {
      const [image, as, name] = rest;
      stages.push({
        image,
        name: as?.toUpperCase() === 'AS' ? name : String(stages.length),
        instructions: [],
      });
    }
    stages.at(-1)?.instructions.push(instruction);
  });
  return stages;
}

export interface Copy {
  from?: string;
  sources: string[];
  destination: string;
  line: number;
}

/** COPY's flags (--from, --chown, ...) and paths, in shell form or JSON form. */
export function copiesOf(stage: Stage): Copy[] {
  return stage.instructions
    .filter((i) => i.keyword === 'COPY')
    .map((i) => {
      const words = i.args.startsWith('[')
        ? (JSON.parse(i.args) as string[])
        : i.args.split(/\s+/).filter(Boolean);
      const flags = words.filter((w) => w.startsWith('--'));
      const paths = words.filter((w) => !w.startsWith('--'));
      const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
      return { from, sources: paths.slice(0, -1), destination: paths.at(-1) ?? '', line: i.line };
    });
}

/** Whether a .dockerignore pattern list keeps `path` (relative to the context) out of the build. */
export function ignoredByDockerignore(patterns: string[], path: string): boolean {
  let ignored = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).replace(/^\/+|\/+$/g, '');
    const glob = pattern
      .split('/')
      .map((part) =>
        part === '**'
          ? '.*'
          : part
              .replace(/[.+^${}()|[\]\\]/g, '\\$&')
              .replace(/\*/g, '[^/]*')
              .replace(/\?/g, '[^/]'),
      )
      .join('/')
      // "**/x" also matches x at the top.
      .replace(/\.\*\//g, '(?:.*/)?');
    // A pattern naming a folder keeps everything under it out too.
    if (new RegExp(`^${glob}(/.*)?$`).test(path)) ignored = !negated;
  }
  return ignored;
}

export const dockerignorePatterns = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
