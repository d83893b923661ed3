import { createHash } from 'node:crypto';
import pg from 'pg';
import type { SqlDriver, SqlRow, SqlStatement, SqlValue } from './sql-driver.js';

/** Options of {@link openPostgresDriver}. */
export interface PostgresDriverOptions {
  /** Pool size (default 10). */
  readonly max?: number;
  /** How long to wait for a connection before failing (default 5 s). */
  readonly connectionTimeoutMs?: number;
}

// BIGINT (int8, OID 20) and NUMERIC (1700) come back as strings by default; our BIGINTs are epoch
// milliseconds and token counts, well inside the exact range of a double.
const types = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === 20 || oid === 1700) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};

/**
 * PostgreSQL through a `pg` pool. Every statement is sent as a named prepared statement (the name
 * is a hash of its text), so each pooled connection parses and plans it once. `?` placeholders are
 * rewritten to `$1..$n` (the store's SQL has no `?` inside string literals).
 */
export function openPostgresDriver(url: string, options: PostgresDriverOptions = {}): SqlDriver {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    types,
  });
  // An idle client losing its connection emits on the pool; without a listener that is a crash.
  pool.on('error', () => undefined);
  const texts = new Map<string, { text: string; name: string }>();
  const prepared = (sql: string): { text: string; name: string } => {
    let entry = texts.get(sql);
    if (entry === undefined) {
      let n = 0;
      const text = sql.replace(/\?/g, () => `$${++n}`);
      entry = { text, name: `h_${createHash('sha1').update(text).digest('hex').slice(0, 20)}` };
      texts.set(sql, entry);
    }
    return entry;
  };
  const on = (client: pg.Pool | pg.PoolClient): Omit<SqlDriver, 'runAll' | 'transaction' | 'close'> => ({
    dialect: 'postgres',
    async query(sql, params = []) {
      const { text, name } = prepared(sql);
      const result = await client.query<Record<string, SqlValue>>({ text, name, values: [...params] });
      return result.rows as SqlRow[];
    },
    async run(sql, params = []) {
      const { text, name } = prepared(sql);
      const result = await client.query({ text, name, values: [...params] });
      return result.rowCount ?? 0;
    },
    async exec(sql) {
      await client.query(sql);
    },
  });
  const runEach = async (driver: Pick<SqlDriver, 'run'>, statements: readonly SqlStatement[]): Promise<number> => {
    let changed = 0;
    for (const s of statements) changed += await driver.run(s.sql, s.params);
    return changed;
  };
  const driver: SqlDriver = {
    ...on(pool),
    runAll: (statements) => driver.transaction((tx) => runEach(tx, statements)),
    async transaction(fn) {
      const client = await pool.connect();
      const tx: SqlDriver = { ...on(client), runAll: (statements) => runEach(tx, statements), transaction: (inner) => inner(tx), close: () => Promise.resolve() };
      try {
        await client.query('BEGIN');
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
  return driver;
}
