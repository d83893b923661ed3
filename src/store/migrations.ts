/** One schema change. Applied in `version` order, once, inside a transaction. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /**
   * Statements separated by `;` at line ends, written once for both dialects: only type names both
   * accept (TEXT, INTEGER, BIGINT, DOUBLE PRECISION; SQLite maps them to its affinities), JSON and
   * base64 as TEXT, no autoincrement (keys are natural or computed), upserts as `ON CONFLICT`.
   */
  readonly sql: string;
}

/** The schema, as numbered migrations. Never edit a released one: add a new version. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'catalog',
    sql: `
CREATE TABLE catalog_models (
  id TEXT PRIMARY KEY,
  provider TEXT NOT NULL,
  entry TEXT NOT NULL,
  source TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE catalog_refreshes (
  provider TEXT PRIMARY KEY,
  refreshed_at BIGINT NOT NULL,
  ok INTEGER NOT NULL,
  message TEXT NOT NULL,
  listed INTEGER NOT NULL
);
CREATE TABLE catalog_changes (
  at BIGINT NOT NULL,
  model_id TEXT NOT NULL,
  field TEXT NOT NULL,
  old_value DOUBLE PRECISION,
  new_value DOUBLE PRECISION
);
CREATE INDEX catalog_changes_at ON catalog_changes (at);
`,
  },
  {
    version: 2,
    name: 'decisions and feedback',
    sql: `
CREATE TABLE decisions (
  request_id TEXT PRIMARY KEY,
  created_at BIGINT NOT NULL,
  artifact_version TEXT,
  routed INTEGER NOT NULL,
  requested_model TEXT NOT NULL,
  bucket TEXT,
  model_name TEXT,
  model_id TEXT,
  provider TEXT,
  client TEXT,
  session_id TEXT,
  features TEXT,
  embedding TEXT,
  decision TEXT,
  fallbacks TEXT NOT NULL,
  latency_ms DOUBLE PRECISION NOT NULL,
  decision_ms DOUBLE PRECISION,
  input_tokens BIGINT,
  output_tokens BIGINT,
  cost_usd DOUBLE PRECISION,
  status TEXT NOT NULL,
  error_code TEXT,
  prompt_hash TEXT,
  prompt TEXT
);
CREATE INDEX decisions_created_at ON decisions (created_at);
CREATE INDEX decisions_artifact ON decisions (artifact_version, created_at);
CREATE TABLE feedback (
  request_id TEXT PRIMARY KEY REFERENCES decisions (request_id) ON DELETE CASCADE,
  score DOUBLE PRECISION NOT NULL,
  label TEXT,
  created_at BIGINT NOT NULL
);
`,
  },
  {
    version: 3,
    name: 'artifact registry',
    sql: `
CREATE TABLE artifacts (
  version TEXT PRIMARY KEY,
  seq BIGINT NOT NULL UNIQUE,
  body TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size_bytes BIGINT NOT NULL,
  pushed_at BIGINT NOT NULL,
  note TEXT
);
CREATE TABLE artifact_activations (
  seq BIGINT PRIMARY KEY,
  version TEXT NOT NULL REFERENCES artifacts (version),
  activated_at BIGINT NOT NULL,
  rolled_back INTEGER NOT NULL
);
`,
  },
  {
    version: 4,
    name: 'sessions',
    sql: `
CREATE TABLE sessions (
  session_id TEXT PRIMARY KEY,
  bucket TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);
`,
  },
];

/** The migration's SQL split into statements. */
export function migrationStatements(migration: Migration): string[] {
  return migration.sql
    .split(/;\s*\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
