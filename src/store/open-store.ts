import { resolve } from 'node:path';
import { castToError, GatewayError } from '../errors/gateway-error.js';
import { createSqlStore } from './create-sql-store.js';
import { migrate } from './migrate.js';
import type { SqlDriver } from './sql-driver.js';
import { openSqliteWorkerDriver } from './sqlite-worker-driver.js';
import type { Store } from './store.js';

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** Directory relative SQLite paths resolve against (default: the working directory). */
  readonly cwd?: string;
  /** PostgreSQL pool size. */
  readonly poolSize?: number;
  /** PostgreSQL connection timeout in ms. */
  readonly connectTimeoutMs?: number;
  /**
   * Opens the SQLite driver for a path (default: better-sqlite3 on a thread of this process). A
   * cluster worker passes one that reaches the primary's connection.
   */
  readonly sqliteDriver?: (path: string) => SqlDriver;
}

/** A storage URL understood by {@link openStore}. */
export type StorageTarget = { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'postgres'; readonly url: string };

/**
 * Parses `storage.url`: `sqlite:PATH` (relative paths resolve against `cwd`), `sqlite::memory:`,
 * or `postgres://` / `postgresql://`.
 * @throws GatewayError `gateway_config_invalid` for anything else.
 */
export function parseStorageUrl(url: string, cwd: string = process.cwd()): StorageTarget {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { kind: 'postgres', url };
  if (url.startsWith('sqlite:')) {
    const rest = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (rest === '') throw new GatewayError('gateway_config_invalid', 'storage.url "sqlite:" needs a path (sqlite:.heimdall/heimdall.db)');
    return { kind: 'sqlite', path: rest === ':memory:' ? rest : resolve(cwd, rest) };
  }
  throw new GatewayError('gateway_config_invalid', `storage.url must start with sqlite: or postgres:// (got "${redactUrl(url)}")`);
}

/** The URL with its password replaced by `***`, safe for logs. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

/**
 * Opens the store `storage.url` names, checks the database answers, and applies pending
 * migrations. Fails fast and names the database when it cannot be reached.
 * @throws GatewayError `gateway_unavailable` (unreachable / cannot open) or `gateway_config_invalid`.
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const target = parseStorageUrl(url, options.cwd);
  const description = target.kind === 'sqlite' ? `sqlite:${target.path}` : redactUrl(target.url);
  let driver: SqlDriver;
  if (target.kind === 'sqlite') {
    driver = (options.sqliteDriver ?? openSqliteWorkerDriver)(target.path);
  } else {
    // pg is loaded only for a PostgreSQL store: a SQLite gateway does not keep it in memory.
    const { openPostgresDriver } = await import('./postgres-driver.js');
    driver = openPostgresDriver(target.url, {
      ...(options.poolSize === undefined ? {} : { max: options.poolSize }),
      ...(options.connectTimeoutMs === undefined ? {} : { connectionTimeoutMs: options.connectTimeoutMs }),
    });
  }
  try {
    await driver.query('SELECT 1 AS one');
  } catch (err) {
    await driver.close().catch(() => undefined);
    const verb = target.kind === 'sqlite' ? 'cannot be opened' : 'is unreachable';
    throw new GatewayError('gateway_unavailable', `storage ${description} ${verb}: ${castToError(err).message}`, { cause: err });
  }
  try {
    await migrate(driver);
  } catch (err) {
    await driver.close().catch(() => undefined);
    throw new GatewayError('gateway_unavailable', `storage ${description}: migrations failed: ${castToError(err).message}`, { cause: err });
  }
  return createSqlStore(driver, description);
}
