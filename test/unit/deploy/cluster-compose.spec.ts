import { spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { CORE_SCHEMA, load, mergeTag } from 'js-yaml';
import { join, resolve } from 'path';
import { envSchema } from '../../../src/config/config.schema';

/**
 * deploy/cluster/compose.yml, checked without a container engine: the services the README's
 * "Running a cluster" describes, hub settings the hub knows, no dangling dependency or mount,
 * and the load balancer and PgBouncer configured for the same services.
 */
const ROOT = resolve(__dirname, '../../..');
const DIR = join(ROOT, 'deploy', 'cluster');
const read = (path: string) => readFileSync(join(DIR, path), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
}
interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

const compose = load(read('compose.yml'), {
  schema: CORE_SCHEMA.withTags(mergeTag),
}) as Compose;
const services = compose.services;
const names = Object.keys(services);
const HUB = ['api-1', 'api-2', 'worker-1', 'worker-2'];

const known = new Set(Object.keys(envSchema.shape));

/** KEY=value lines of an env file, commented-out examples (`# KEY=value`) included. */
const envFileKeys = (text: string) =>
  [...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);

describe('deploy/cluster/compose.yml', () => {
  it('runs the cluster the README describes', () => {
    expect(names.sort()).toEqual(
      [
        'lb',
        ...HUB,
        'migrate',
        'pgbouncer',
        'postgres-primary',
        'postgres-replica',
        'redis-1',
        'redis-2',
        'sentinel-1',
        'sentinel-2',
        'sentinel-3',
        'mailpit',
      ].sort(),
    );
    expect(services['api-1'].environment?.PROCESS_ROLE).toBe('api');
    expect(services['api-2'].environment?.PROCESS_ROLE).toBe('api');
    expect(services['worker-1'].environment?.PROCESS_ROLE).toBe('worker');
    expect(services['worker-2'].environment?.PROCESS_ROLE).toBe('worker');
  });

  it('builds every hub service from the repository Dockerfile', () => {
    for (const name of [...HUB, 'migrate']) {
      const build = services[name].build;
      expect({ name, context: build && resolve(DIR, build.context) }).toEqual({
        name,
        context: ROOT,
      });
      expect(existsSync(join(ROOT, build?.dockerfile ?? '-'))).toBe(true);
    }
  });

  it('sets on hub processes only settings the hub reads', () => {
    for (const name of [...HUB, 'migrate']) {
      const unknown = Object.keys(services[name].environment ?? {}).filter((k) => !known.has(k));
      expect({ name, unknown }).toEqual({ name, unknown: [] });
    }
    const extra = envFileKeys(read('hub.env.example')).filter((k) => !known.has(k));
    expect({ file: 'hub.env.example', unknown: extra }).toEqual({
      file: 'hub.env.example',
      unknown: [],
    });
  });

  it('talks to PostgreSQL through PgBouncer without named statements, and migrates on the primary', () => {
    const pgbouncer = read('pgbouncer/pgbouncer.ini');
    const databases = [...pgbouncer.matchAll(/^(\w+) = host=/gm)].map((m) => m[1]);
    expect(pgbouncer).toMatch(/^pool_mode = transaction$/m);
    // The hub's `-c jit=off` startup option (src/database/data-source-options.ts).
    expect(pgbouncer).toMatch(/^ignore_startup_parameters = extra_float_digits,options$/m);
    for (const name of HUB) {
      const env = services[name].environment ?? {};
      expect(env.DATABASE_URL).toMatch(/@pgbouncer:6432\/(\w+)$/);
      expect(env.DATABASE_REPLICA_URL).toMatch(/@pgbouncer:6432\/(\w+)$/);
      expect(databases).toContain(/\/(\w+)$/.exec(env.DATABASE_URL ?? '')?.[1]);
      expect(databases).toContain(/\/(\w+)$/.exec(env.DATABASE_REPLICA_URL ?? '')?.[1]);
      expect(env.DATABASE_PREPARED_STATEMENTS).toBe('false');
      expect(env.DATABASE_MIGRATIONS_URL).toMatch(/@postgres-primary:5432\//);
      expect(services[name].depends_on?.migrate?.condition).toBe('service_completed_successfully');
    }
    expect(services.migrate.environment?.DATABASE_URL).toMatch(/@postgres-primary:5432\//);
    // jit off on the servers, since PgBouncer drops the startup option; ready means ready over
    // TCP (initdb's temporary server at the first start listens on the Unix socket only).
    for (const name of ['postgres-primary', 'postgres-replica']) {
      expect(services[name].command?.join(' ')).toMatch(/-c jit=off/);
      expect(services[name].healthcheck?.test?.join(' ')).toMatch(/pg_isready -h 127\.0\.0\.1/);
    }
  });

  it("migrates with the server's own compiled migration runner", () => {
    const script = services.migrate.command?.join(' ') ?? '';
    const required = /require\('\.\/dist\/(src\/[\w/-]+)\.js'\)\.(\w+)\(/.exec(script);
    expect(required).not.toBeNull();
    const [, module, fn] = required as RegExpExecArray;
    const source = readFileSync(join(ROOT, `${module}.ts`), 'utf8');
    expect(source).toMatch(new RegExp(`export async function ${fn}\\(url: string`));
  });

  it('finds Redis through the three Sentinels, watching the master name the hub asks for', () => {
    for (const name of HUB) {
      const env = services[name].environment ?? {};
      const sentinels = (env.REDIS_SENTINELS ?? '').split(',').map((s) => s.split(':')[0]);
      expect(sentinels).toEqual(['sentinel-1', 'sentinel-2', 'sentinel-3']);
      for (const s of sentinels)
        expect(services[s].environment?.REDIS_MASTER_NAME).toBe(env.REDIS_SENTINEL_NAME);
    }
    expect(read('redis/sentinel-entrypoint.sh')).toMatch(
      /sentinel monitor \$\{REDIS_MASTER_NAME\} redis-1 6379 2/,
    );
    expect(services['redis-2'].command?.join(' ')).toMatch(/--replicaof redis-1 6379/);
  });

  it('depends only on services it defines, and waits for the health of those that have one', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [target, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect({ name, target, defined: names.includes(target) }).toEqual({
          name,
          target,
          defined: true,
        });
        if (condition === 'service_healthy') {
          const h = services[target].healthcheck;
          expect({ target, checked: Boolean(h?.test) && !h?.disable }).toEqual({
            target,
            checked: true,
          });
        }
      }
    }
  });

  it('mounts only files of the repository, and named volumes it declares', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('.')) {
          const path = resolve(DIR, source);
          expect({ name, source, exists: existsSync(path) }).toEqual({
            name,
            source,
            exists: true,
          });
        } else {
          expect({ name, source, declared: source in compose.volumes }).toEqual({
            name,
            source,
            declared: true,
          });
        }
      }
    }
  });

  it('runs shell scripts that parse', () => {
    for (const [shell, file] of [
      ['bash', 'postgres/primary-init.sh'],
      ['bash', 'postgres/replica-entrypoint.sh'],
      ['sh', 'redis/sentinel-entrypoint.sh'],
    ]) {
      const run = spawnSync(shell, ['-n', join(DIR, file)], { encoding: 'utf8' });
      expect({ file, status: run.status, stderr: run.stderr }).toEqual({
        file,
        status: 0,
        stderr: '',
      });
    }
  });

  it('balances HTTP and SMTP over every API process, with the health check the hub answers', () => {
    const haproxy = read('haproxy/haproxy.cfg');
    const backend = (name: string) =>
      haproxy.split(/^backend /m).find((b) => b.startsWith(`${name}\n`)) ?? '';
    const servers = (text: string) => [...text.matchAll(/^\s+server (\S+) (\S+):(\d+)/gm)];
    const api = Object.keys(services).filter(
      (n) => services[n].environment?.PROCESS_ROLE === 'api',
    );
    expect(servers(backend('hub_api')).map((m) => [m[1], m[2], m[3]])).toEqual(
      api.map((n) => [n, n, '3000']),
    );
    expect(servers(backend('hub_smtp')).map((m) => [m[1], m[2], m[3]])).toEqual(
      api.map((n) => [n, n, '2525']),
    );
    expect(backend('hub_api')).toMatch(/http-check send meth GET uri \/health/);
    // socket.io's long-polling fallback needs every request of a session on one process.
    expect(backend('hub_api')).toMatch(/^\s+cookie HUB_API insert/m);
    expect(services.lb.volumes).toContain(
      './haproxy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro',
    );
  });

  it('names in .env.example every variable it takes from the environment', () => {
    const text = read('compose.yml');
    const used = new Set([...text.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
    const listed = new Set(envFileKeys(read('.env.example')));
    expect([...used].filter((v) => !listed.has(v))).toEqual([]);
  });
});
