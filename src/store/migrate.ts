import { MIGRATIONS, migrationStatements, type Migration } from './migrations.js';
import type { SqlDriver } from './sql-driver.js';

// Any constant works; it only has to be the same in every replica.
const PG_MIGRATION_LOCK = 7_140_617;

/**
 * Brings the schema up to date: creates the bookkeeping table, then applies each migration not yet
 * recorded, in order, each in its own transaction. Replicas starting together are serialised (an
 * advisory lock on PostgreSQL, the write lock on SQLite), so each migration runs exactly once.
 * @returns the versions applied now.
 */
export async function migrate(driver: SqlDriver, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  await driver.exec('CREATE TABLE IF NOT EXISTS heimdall_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
  const applied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    const done = await driver.transaction(async (tx) => {
      if (tx.dialect === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(?)', [PG_MIGRATION_LOCK]);
      const rows = await tx.query('SELECT version FROM heimdall_migrations WHERE version = ?', [migration.version]);
      if (rows.length > 0) return false;
      for (const statement of migrationStatements(migration)) await tx.exec(statement);
      await tx.run('INSERT INTO heimdall_migrations (version, name, applied_at) VALUES (?, ?, ?)', [migration.version, migration.name, Date.now()]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}

/** The highest applied migration version (0 for an empty database). */
export async function schemaVersion(driver: SqlDriver): Promise<number> {
  const rows = await driver.query('SELECT MAX(version) AS v FROM heimdall_migrations');
  return Number(rows[0]?.['v'] ?? 0);
}
