import { existsSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import { envSchema } from '../../../src/config/config.schema';
import {
  copiesOf,
  dockerignorePatterns,
  ignoredByDockerignore,
  parseDockerfile,
  type Stage,
} from './dockerfile-parse';

/**
 * The hub's image, checked without a container engine: what each stage copies exists where it
 * copies it from, the runtime stage holds everything the server reads at run time, and it runs
 * as an unprivileged user with a health check.
 */
const ROOT = resolve(__dirname, '../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const stages = parseDockerfile(read('Dockerfile'));
const runtime = stages.at(-1) as Stage;
const stageNamed = (name: string) => stages.find((s) => s.name === name);
const args = (stage: Stage, keyword: string) =>
  stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
/** The paths a COPY puts in place, relative to WORKDIR /app. */
const copiedInto = (stage: Stage) =>
  copiesOf(stage).flatMap((c) =>
    c.destination.endsWith('/') || c.destination === './'
      ? c.sources.map((s) => s.replace(/^\/app\//, ''))
      : [c.destination.replace(/^\.\//, '').replace(/^\/app\//, '')],
  );

/** What the build stage's `npm run build` writes: tsc's outDir and each vite config's outDir. */
function buildOutputs(): string[] {
  const tsOut = (JSON.parse(read('tsconfig.json')) as { compilerOptions: { outDir: string } })
    .compilerOptions.outDir;
  const viteOuts = ['web/vite.config.ts', 'web/vite.widget.config.ts'].map((file) => {
    const m = /outDir:\s*resolve\(webDir,\s*'([^']+)'\)/.exec(read(file));
    if (!m) throw new Error(`${file}: no outDir: resolve(webDir, '...') found`);
    return `web/${m[1]}`;
  });
  return [tsOut, ...viteOuts];
}

describe('Dockerfile', () => {
  it('builds in stages and runs the last one as a user other than root', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'prod-deps', 'runtime']);
    const users = args(runtime, 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    // Nothing runs after the switch (a RUN there would be the only place to need root).
    const lastUser = runtime.instructions.map((i) => i.keyword).lastIndexOf('USER');
    expect(runtime.instructions.slice(lastUser).map((i) => i.keyword)).not.toContain('RUN');
  });

  it('checks its health with GET /health through node, the slim image having no curl', () => {
    const [check] = args(runtime, 'HEALTHCHECK');
    expect(check).toBeDefined();
    expect(check).toMatch(/CMD \["node", "-e", ".*fetch\(.*\/health'\)/);
    expect(check).not.toMatch(/curl|wget/);
  });

  it('copies from the build context only paths that exist and that .dockerignore lets in', () => {
    const ignore = dockerignorePatterns(read('.dockerignore'));
    const fromContext = stages.flatMap((s) => copiesOf(s).filter((c) => !c.from));
    expect(fromContext.length).toBeGreaterThan(0);
    for (const copy of fromContext) {
      for (const source of copy.sources) {
        const where = `Dockerfile:${copy.line} COPY ${source}`;
        expect({ where, exists: existsSync(join(ROOT, source)) }).toEqual({ where, exists: true });
        expect({ where, ignored: ignoredByDockerignore(ignore, source) }).toEqual({
          where,
          ignored: false,
        });
      }
    }
  });

  it('keeps node_modules, local data, build output and secrets out of the build context', () => {
    const ignore = dockerignorePatterns(read('.dockerignore'));
    for (const path of ['node_modules', '.data', 'dist', 'web/dist', '.git', '.env', 'a/b/.env'])
      expect({ path, ignored: ignoredByDockerignore(ignore, path) }).toEqual({
        path,
        ignored: true,
      });
  });

  it('builds every folder the server and the web app compile from', () => {
    const build = stageNamed('build') as Stage;
    const included = (JSON.parse(read('tsconfig.build.json')) as { include: string[] }).include;
    const copied = copiedInto(build);
    for (const folder of [...included, 'web']) expect(copied).toContain(folder);
    expect(args(build, 'RUN')).toContain('npm run build');
    expect(read('package.json')).toMatch(/"build": "npm run build:server && npm run build:web"/);
  });

  it('copies from earlier stages only what they produce', () => {
    const outputs = buildOutputs();
    for (const copy of copiesOf(runtime).filter((c) => c.from)) {
      const stage = stageNamed(copy.from as string);
      expect(stage).toBeDefined();
      for (const source of copy.sources.map((s) => s.replace(/^\/app\//, ''))) {
        const produced =
          copy.from === 'build'
            ? outputs.includes(source)
            : source === 'node_modules' &&
              args(stage as Stage, 'RUN').some((r) => /npm ci/.test(r));
        expect({ line: copy.line, source, produced }).toEqual({
          line: copy.line,
          source,
          produced: true,
        });
      }
    }
  });

  it('ships production dependencies only', () => {
    const deps = copiesOf(runtime).find((c) => c.sources.includes('/app/node_modules'));
    expect(deps?.from).toBe('prod-deps');
    expect(args(stageNamed('prod-deps') as Stage, 'RUN').join(' ')).toMatch(/npm ci --omit=dev/);
  });

  it('holds every file the server reads at run time', () => {
    const inRuntime = copiedInto(runtime);
    // dist (server, migrations, channel adapters), the web app and widget (src/web/static.ts,
    // src/livechat/widget.controller.ts), the shipped templates (src/templates/templates.module.ts).
    for (const path of [
      'dist',
      'node_modules',
      'web/dist',
      'web/dist-widget',
      'web/demo.html',
      'templates',
    ])
      expect(inRuntime).toContain(path);
    expect(args(runtime, 'WORKDIR')).toEqual(['/app']);
  });

  it('starts the server as npm start does, in production, with a writable data directory', () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts
      .start;
    expect(JSON.parse(args(runtime, 'CMD')[0]) as string[]).toEqual(start.split(' '));
    const env = args(runtime, 'ENV').join(' ');
    expect(env).toMatch(/NODE_ENV=production/);
    expect(env).toMatch(/DATA_DIR=\/app\/\.data/);
    expect(args(runtime, 'RUN').join(' ')).toMatch(/chown node:node \/app\/\.data/);
  });

  it("exposes the HTTP port and the SMTP receiver's port", () => {
    const defaults = envSchema.parse({});
    const exposed = args(runtime, 'EXPOSE').join(' ').split(/\s+/).map(Number);
    expect(exposed).toEqual(expect.arrayContaining([defaults.PORT, defaults.SMTP_INBOUND_PORT]));
  });
});
