import { readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, relative, resolve, sep } from 'path';
import * as ts from 'typescript';

/**
 * The folders of src/ form a directed acyclic graph: a domain builds on the ones below it and
 * never on one above, so each can be read, tested and changed without the rest. Type-only
 * imports count: they couple the folders as much as any other.
 */
const SRC = resolve(__dirname, '../../../src');

type Edges = Map<string, Map<string, string[]>>;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const folderOf = (path: string): string | undefined => {
  const parts = relative(SRC, path).split(sep);
  return parts.length > 1 && !parts[0].startsWith('..') ? parts[0] : undefined;
};

function folderEdges(): Edges {
  const edges: Edges = new Map();
  for (const file of filesUnder(SRC)) {
    const from = folderOf(file);
    if (!from) continue;
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const to = folderOf(resolve(dirname(file), fileName));
      if (!to || to === from) continue;
      const byTarget = edges.get(from) ?? new Map<string, string[]>();
      byTarget.set(to, [...(byTarget.get(to) ?? []), relative(SRC, file)]);
      edges.set(from, byTarget);
    }
  }
  return edges;
}

/** Strongly connected components of two or more folders: each is at least one cycle. */
function cycles(edges: Edges): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      component.push(w);
    } while (w !== v);
    if (component.length > 1) found.push(component.sort());
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('folders of src/', () => {
  const edges = folderEdges();

  it('reads the imports it judges', () => {
    expect(edges.get('ingest')?.has('common')).toBe(true);
    expect(edges.size).toBeGreaterThan(20);
  });

  it('import one another without a cycle', () => {
    const described = cycles(edges).map((component) =>
      component
        .flatMap((a) =>
          component
            .filter((b) => edges.get(a)?.has(b))
            .map((b) => `  ${a} -> ${b} (${[...new Set(edges.get(a)!.get(b))].join(', ')})`),
        )
        .join('\n'),
    );
    expect(described).toEqual([]);
  });
});
