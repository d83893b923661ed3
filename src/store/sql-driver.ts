/** A value a statement parameter or a result column may hold. */
export type SqlValue = string | number | null;

/** One statement of {@link SqlDriver.runAll}. */
export interface SqlStatement {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

/** A result row: column name to value (BIGINT columns come back as numbers on both dialects). */
export type SqlRow = Readonly<Record<string, SqlValue>>;

/** The SQL dialect a driver speaks; statements differ only in a few spots (see migrations). */
export type SqlDialect = 'sqlite' | 'postgres';

/**
 * The thin layer the store is written against. Statements use `?` placeholders on both dialects
 * (the PostgreSQL driver rewrites them to `$n`), so every query is written once.
 */
export interface SqlDriver {
  readonly dialect: SqlDialect;
  /** Rows of a SELECT (or of a statement with RETURNING). */
  query(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]>;
  /** Runs one statement; resolves to the number of rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Runs the statements in order in one transaction, all or none (inside {@link transaction}: as
   * part of it); resolves to the rows they changed together. The SQLite driver sends them to its
   * thread as one message.
   */
  runAll(statements: readonly SqlStatement[]): Promise<number>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` in a transaction on one connection; commits when it resolves, rolls back when it
   * throws. `fn` must use the driver it is given, not the outer one.
   */
  transaction<T>(fn: (tx: SqlDriver) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
