/** Run, in order, on every SQLite connection the gateway opens. */
export const SQLITE_PRAGMAS: readonly string[] = [
  // busy_timeout first: switching a new database to WAL takes a lock that a second process starting
  // at the same moment must wait for, not fail on.
  'busy_timeout = 5000',
  // Before WAL, so that it applies to a new database (an existing one keeps its page size): a
  // decision row is ~2.3 KB, and 4 KB pages hold one of them each, half empty. With 16 KB pages the
  // same rows take 42% less disk and their inserts ~25% less CPU (docs/benchmarks.md, session 5).
  'page_size = 16384',
  'journal_mode = WAL',
  'synchronous = NORMAL',
  // better-sqlite3 builds SQLite with a 16 MB page cache per connection, and the writer filled it:
  // its thread held ~19 MB of the worker's RSS. Inserts append at the right edge of time-ordered
  // keys, so SQLite's own default (2 MB) serves them as well (docs/benchmarks.md, session 11).
  'cache_size = -2000',
];
