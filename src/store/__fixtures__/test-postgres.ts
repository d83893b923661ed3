import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** A PostgreSQL database for one test file, and how to get rid of it. */
export interface TestPostgres {
  readonly url: string;
  stop(): Promise<void>;
}

/** Where `initdb` and `pg_ctl` live, or undefined when PostgreSQL is not installed. */
export function findPostgresBin(): string | undefined {
  const fromEnv = process.env['HEIMDALL_PG_BIN'];
  if (fromEnv !== undefined && existsSync(join(fromEnv, 'pg_ctl'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (existsSync(join(root, v, 'bin', 'pg_ctl'))) return join(root, v, 'bin');
  }
  try {
    const bin = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (existsSync(join(bin, 'pg_ctl'))) return bin;
  } catch {
    // no pg_config on PATH
  }
  return undefined;
}

/** True when a real PostgreSQL can be had: an external one named by the environment, or local binaries. */
export function postgresAvailable(): boolean {
  return process.env['HEIMDALL_TEST_POSTGRES_URL'] !== undefined || findPostgresBin() !== undefined;
}

/**
 * A real PostgreSQL for tests. With `HEIMDALL_TEST_POSTGRES_URL` set (see `.ci/start-postgres`), a
 * fresh database is created on that server; otherwise a throwaway cluster is initialised in a temp
 * directory and started on a free loopback port (as the `postgres` user when running as root,
 * since PostgreSQL refuses to run as root).
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const external = process.env['HEIMDALL_TEST_POSTGRES_URL'];
  if (external !== undefined) return createDatabaseOn(external);
  const bin = findPostgresBin();
  if (bin === undefined) throw new Error('PostgreSQL binaries not found (install the Debian package postgresql)');
  const dir = mkdtempSync(join(tmpdir(), 'heimdall-pg-'));
  const asRoot = process.getuid?.() === 0;
  // The postmaster pg_ctl forks inherits its stdio: a pipe would keep execFileSync waiting forever.
  const run = (cmd: string, args: string[]): void => {
    const full = join(bin, cmd);
    const stdio = cmd === 'pg_ctl' ? 'ignore' : 'pipe';
    if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', full, ...args], { stdio });
    else execFileSync(full, args, { stdio });
  };
  if (asRoot) chownSync(dir, uidOf('postgres'), gidOf('postgres'));
  const data = join(dir, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

async function createDatabaseOn(url: string): Promise<TestPostgres> {
  const name = `heimdall_test_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async stop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
}

function gidOf(user: string): number {
  return Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
