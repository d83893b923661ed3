export type * from './store.js';
export { openStore, parseStorageUrl, redactUrl, type OpenStoreOptions, type StorageTarget } from './open-store.js';
export { createSqlStore } from './create-sql-store.js';
export { migrate, schemaVersion } from './migrate.js';
export { MIGRATIONS, type Migration } from './migrations.js';
export type { SqlDriver, SqlDialect, SqlRow, SqlStatement, SqlValue } from './sql-driver.js';
