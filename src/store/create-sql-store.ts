import type { Bucket } from '../types/routing-decision.js';
import type { SqlDriver, SqlRow, SqlStatement, SqlValue } from './sql-driver.js';
import type {
  ArtifactRegistryStore,
  CatalogChange,
  CatalogRefresh,
  CatalogStore,
  DecisionQuery,
  DecisionRecord,
  DecisionStore,
  PreparedDecision,
  SessionStore,
  StoredArtifact,
  StoredArtifactInfo,
  StoredDecision,
  Store,
} from './store.js';

/** The `decisions` table's columns, in the order {@link decisionParams} fills them. */
export const DECISION_COLUMNS = [
  'request_id', 'created_at', 'artifact_version', 'routed', 'requested_model', 'bucket', 'model_name', 'model_id', 'provider',
  'client', 'session_id', 'features', 'embedding', 'decision', 'fallbacks', 'latency_ms', 'decision_ms', 'input_tokens',
  'output_tokens', 'cost_usd', 'status', 'error_code', 'prompt_hash', 'prompt',
] as const;

// Rows per INSERT statement: a batch becomes a few multi-row statements, well under both
// dialects' parameter limits (SQLite 32766, PostgreSQL 65535).
const INSERT_CHUNK = 50;

/**
 * The statement sizes a batch of `rows` is inserted with: full chunks, then the rest as powers of
 * two (37 = 32 + 4 + 1). Each size is a statement the driver prepares once and keeps, and SQLite
 * keeps a statement's compiled program and its last bound values: a statement for every size from
 * 1 to 50 held ~15 MB on the SQLite writer's thread against ~3 MB for these seven sizes
 * (docs/benchmarks.md, session 11).
 */
export function insertChunks(rows: number): number[] {
  const sizes: number[] = [];
  let left = rows;
  for (; left >= INSERT_CHUNK; left -= INSERT_CHUNK) sizes.push(INSERT_CHUNK);
  for (let bit = 32; bit >= 1; bit >>= 1) if ((left & bit) !== 0) sizes.push(bit);
  return sizes;
}

/**
 * The {@link Store} over a {@link SqlDriver}: every query written once, with `?` placeholders and
 * only syntax both SQLite and PostgreSQL accept. The driver must already be migrated.
 */
export function createSqlStore(driver: SqlDriver, description: string): Store {
  return {
    kind: driver.dialect,
    description,
    decisions: decisionStore(driver),
    catalog: catalogStore(driver),
    artifacts: artifactStore(driver),
    sessions: sessionStore(driver),
    async ping() {
      await driver.query('SELECT 1 AS one');
    },
    close: () => driver.close(),
  };
}

function decisionStore(db: SqlDriver): DecisionStore {
  /** Rows in {@link DECISION_COLUMNS} order, written as a few multi-row INSERTs. */
  const insertRows = async (rows: ReadonlyArray<readonly SqlValue[]>): Promise<void> => {
    const sizes = insertChunks(rows.length);
    if (sizes.length === 0) return;
    if (sizes.length === 1) {
      await db.run(insertSql(rows.length), flatten(rows, 0, rows.length));
      return;
    }
    // Several statements in one transaction: the SQLite driver sends them to its thread as one
    // message, which commits once.
    const statements: SqlStatement[] = [];
    let at = 0;
    for (const size of sizes) {
      statements.push({ sql: insertSql(size), params: flatten(rows, at, at + size) });
      at += size;
    }
    await db.runAll(statements);
  };
  const selectFrom = `SELECT d.*, f.score AS fb_score, f.label AS fb_label, f.created_at AS fb_at FROM decisions d LEFT JOIN feedback f ON f.request_id = d.request_id`;
  return {
    insert(records) {
      return insertRows(records.map(decisionParams));
    },
    prepare(record) {
      return decisionParams(record) as unknown as PreparedDecision;
    },
    insertPrepared(records) {
      return insertRows(records as unknown as ReadonlyArray<readonly SqlValue[]>);
    },
    async get(requestId) {
      const rows = await db.query(`${selectFrom} WHERE d.request_id = ?`, [requestId]);
      return rows[0] === undefined ? undefined : toDecision(rows[0]);
    },
    async setFeedback(requestId, feedback) {
      return db.transaction(async (tx) => {
        const found = await tx.query('SELECT request_id FROM decisions WHERE request_id = ?', [requestId]);
        if (found.length === 0) return false;
        await tx.run(
          'INSERT INTO feedback (request_id, score, label, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (request_id) DO UPDATE SET score = excluded.score, label = excluded.label, created_at = excluded.created_at',
          [requestId, feedback.score, feedback.label ?? null, feedback.createdAt],
        );
        return true;
      });
    },
    async list(query: DecisionQuery = {}) {
      const where: string[] = [];
      const params: SqlValue[] = [];
      if (query.since !== undefined) {
        where.push('d.created_at >= ?');
        params.push(query.since);
      }
      if (query.until !== undefined) {
        where.push('d.created_at < ?');
        params.push(query.until);
      }
      if (query.artifactVersion !== undefined) {
        where.push('d.artifact_version = ?');
        params.push(query.artifactVersion);
      }
      if (query.withFeedback === true) where.push('f.score IS NOT NULL');
      let sql = `${selectFrom}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY d.created_at, d.request_id`;
      if (query.limit !== undefined) {
        sql += ' LIMIT ?';
        params.push(query.limit);
      }
      return (await db.query(sql, params)).map(toDecision);
    },
    async purge(before) {
      return db.transaction(async (tx) => {
        await tx.run('DELETE FROM feedback WHERE request_id IN (SELECT request_id FROM decisions WHERE created_at < ?)', [before]);
        return tx.run('DELETE FROM decisions WHERE created_at < ?', [before]);
      });
    },
    async purgeBatch(before, limit) {
      // Both statements select the same oldest rows: the transaction holds the write lock in
      // between, and only rows older than `before` (never written any more) can match.
      const oldest = 'SELECT request_id FROM decisions WHERE created_at < ? ORDER BY created_at, request_id LIMIT ?';
      return db.transaction(async (tx) => {
        await tx.run(`DELETE FROM feedback WHERE request_id IN (${oldest})`, [before, limit]);
        return tx.run(`DELETE FROM decisions WHERE request_id IN (${oldest})`, [before, limit]);
      });
    },
  };
}

const ROW_PLACEHOLDERS = `(${DECISION_COLUMNS.map(() => '?').join(', ')})`;
const insertStatements = new Map<number, string>();

/** The multi-row INSERT for `rows` rows, built once per size (at most {@link INSERT_CHUNK} of them). */
function insertSql(rows: number): string {
  let sql = insertStatements.get(rows);
  if (sql === undefined) {
    sql = `INSERT INTO decisions (${DECISION_COLUMNS.join(', ')}) VALUES ${new Array<string>(rows).fill(ROW_PLACEHOLDERS).join(', ')} ON CONFLICT (request_id) DO NOTHING`;
    insertStatements.set(rows, sql);
  }
  return sql;
}

/** One record's values in {@link DECISION_COLUMNS} order (exported for the decision-record bench). */
export function decisionParams(r: DecisionRecord): SqlValue[] {
  return [
    r.requestId, r.createdAt, r.artifactVersion ?? null, r.routed ? 1 : 0, r.requestedModel, r.bucket ?? null, r.modelName ?? null,
    r.modelId ?? null, r.provider ?? null, r.client ?? null, r.sessionId ?? null, json(r.features), r.embedding ?? null, json(r.decision),
    JSON.stringify(r.fallbacks), r.latencyMs, r.decisionMs ?? null, r.inputTokens ?? null, r.outputTokens ?? null, r.costUsd ?? null,
    r.status, r.errorCode ?? null, r.promptHash ?? null, r.prompt ?? null,
  ];
}

function flatten(rows: ReadonlyArray<readonly SqlValue[]>, from: number, to: number): SqlValue[] {
  const params: SqlValue[] = [];
  for (let i = from; i < to; i++) for (const value of rows[i]!) params.push(value);
  return params;
}

function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

function toDecision(row: SqlRow): StoredDecision {
  const str = (k: string): string | undefined => (row[k] === null || row[k] === undefined ? undefined : String(row[k]));
  const num = (k: string): number | undefined => (row[k] === null || row[k] === undefined ? undefined : Number(row[k]));
  const opt = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } => (value === undefined ? {} : ({ [key]: value } as { [P in K]: V }));
  const features = str('features');
  const decision = str('decision');
  const score = num('fb_score');
  return {
    requestId: String(row['request_id']),
    createdAt: Number(row['created_at']),
    ...opt('artifactVersion', str('artifact_version')),
    routed: Number(row['routed']) === 1,
    requestedModel: String(row['requested_model']),
    ...opt('bucket', str('bucket') as Bucket | undefined),
    ...opt('modelName', str('model_name')),
    ...opt('modelId', str('model_id')),
    ...opt('provider', str('provider')),
    ...opt('client', str('client')),
    ...opt('sessionId', str('session_id')),
    ...opt('features', features === undefined ? undefined : (JSON.parse(features) as Record<string, number | boolean>)),
    ...opt('embedding', str('embedding')),
    ...opt('decision', decision === undefined ? undefined : (JSON.parse(decision) as unknown)),
    fallbacks: JSON.parse(String(row['fallbacks'])) as string[],
    latencyMs: Number(row['latency_ms']),
    ...opt('decisionMs', num('decision_ms')),
    ...opt('inputTokens', num('input_tokens')),
    ...opt('outputTokens', num('output_tokens')),
    ...opt('costUsd', num('cost_usd')),
    status: String(row['status']) === 'ok' ? 'ok' : 'error',
    ...opt('errorCode', str('error_code')),
    ...opt('promptHash', str('prompt_hash')),
    ...opt('prompt', str('prompt')),
    ...(score === undefined ? {} : { feedback: { score, ...opt('label', str('fb_label')), createdAt: Number(row['fb_at']) } }),
  };
}

function catalogStore(db: SqlDriver): CatalogStore {
  return {
    async upsertModels(models) {
      if (models.length === 0) return;
      await db.transaction(async (tx) => {
        for (const m of models) {
          await tx.run(
            'INSERT INTO catalog_models (id, provider, entry, source, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET provider = excluded.provider, entry = excluded.entry, source = excluded.source, updated_at = excluded.updated_at',
            [m.id, m.provider, JSON.stringify(m.entry), m.source, m.updatedAt],
          );
        }
      });
    },
    async listModels() {
      const rows = await db.query('SELECT id, provider, entry, source, updated_at FROM catalog_models ORDER BY id');
      return rows.map((r) => ({
        id: String(r['id']),
        provider: String(r['provider']),
        entry: JSON.parse(String(r['entry'])) as Record<string, unknown>,
        source: String(r['source']),
        updatedAt: Number(r['updated_at']),
      }));
    },
    async recordRefresh(refresh: CatalogRefresh) {
      await db.run(
        'INSERT INTO catalog_refreshes (provider, refreshed_at, ok, message, listed) VALUES (?, ?, ?, ?, ?) ON CONFLICT (provider) DO UPDATE SET refreshed_at = excluded.refreshed_at, ok = excluded.ok, message = excluded.message, listed = excluded.listed',
        [refresh.provider, refresh.refreshedAt, refresh.ok ? 1 : 0, refresh.message, refresh.listed],
      );
    },
    async listRefreshes() {
      const rows = await db.query('SELECT provider, refreshed_at, ok, message, listed FROM catalog_refreshes ORDER BY provider');
      return rows.map((r) => ({
        provider: String(r['provider']),
        refreshedAt: Number(r['refreshed_at']),
        ok: Number(r['ok']) === 1,
        message: String(r['message']),
        listed: Number(r['listed']),
      }));
    },
    async addChanges(changes: readonly CatalogChange[]) {
      if (changes.length === 0) return;
      await db.transaction(async (tx) => {
        for (const c of changes) {
          await tx.run('INSERT INTO catalog_changes (at, model_id, field, old_value, new_value) VALUES (?, ?, ?, ?, ?)', [c.at, c.modelId, c.field, c.oldValue, c.newValue]);
        }
      });
    },
    async listChanges(since = 0) {
      const rows = await db.query('SELECT at, model_id, field, old_value, new_value FROM catalog_changes WHERE at >= ? ORDER BY at DESC, model_id, field', [since]);
      return rows.map((r) => ({
        at: Number(r['at']),
        modelId: String(r['model_id']),
        field: String(r['field']),
        oldValue: r['old_value'] === null ? null : Number(r['old_value']),
        newValue: r['new_value'] === null ? null : Number(r['new_value']),
      }));
    },
  };
}

function artifactStore(db: SqlDriver): ArtifactRegistryStore {
  const ACTIVE = 'SELECT version FROM artifact_activations WHERE rolled_back = 0 ORDER BY seq DESC LIMIT 1';
  const info = (r: SqlRow, active: string | undefined): StoredArtifactInfo => ({
    version: String(r['version']),
    seq: Number(r['seq']),
    sha256: String(r['sha256']),
    sizeBytes: Number(r['size_bytes']),
    pushedAt: Number(r['pushed_at']),
    ...(r['note'] === null || r['note'] === undefined ? {} : { note: String(r['note']) }),
    active: String(r['version']) === active,
  });
  const activeVersion = async (tx: SqlDriver): Promise<string | undefined> => {
    const rows = await tx.query(ACTIVE);
    return rows[0] === undefined ? undefined : String(rows[0]['version']);
  };
  return {
    push: (a) =>
      db.transaction(async (tx) => {
        const exists = await tx.query('SELECT version FROM artifacts WHERE version = ?', [a.version]);
        if (exists.length > 0) return false;
        const seq = Number((await tx.query('SELECT COALESCE(MAX(seq), 0) AS s FROM artifacts'))[0]?.['s'] ?? 0) + 1;
        await tx.run('INSERT INTO artifacts (version, seq, body, sha256, size_bytes, pushed_at, note) VALUES (?, ?, ?, ?, ?, ?, ?)', [
          a.version, seq, a.body, a.sha256, Buffer.byteLength(a.body), a.pushedAt, a.note ?? null,
        ]);
        return true;
      }),
    async list() {
      const active = await activeVersion(db);
      const rows = await db.query('SELECT version, seq, sha256, size_bytes, pushed_at, note FROM artifacts ORDER BY seq DESC');
      return rows.map((r) => info(r, active));
    },
    async get(version) {
      const active = await activeVersion(db);
      const rows = await db.query('SELECT * FROM artifacts WHERE version = ?', [version]);
      const r = rows[0];
      return r === undefined ? undefined : ({ ...info(r, active), body: String(r['body']) } satisfies StoredArtifact);
    },
    activate: (version, at) =>
      db.transaction(async (tx) => {
        const exists = await tx.query('SELECT version FROM artifacts WHERE version = ?', [version]);
        if (exists.length === 0) return false;
        const seq = Number((await tx.query('SELECT COALESCE(MAX(seq), 0) AS s FROM artifact_activations'))[0]?.['s'] ?? 0) + 1;
        await tx.run('INSERT INTO artifact_activations (seq, version, activated_at, rolled_back) VALUES (?, ?, ?, 0)', [seq, version, at]);
        return true;
      }),
    rollback: (_at) =>
      db.transaction(async (tx) => {
        const rows = await tx.query('SELECT seq, version FROM artifact_activations WHERE rolled_back = 0 ORDER BY seq DESC LIMIT 2');
        if (rows.length < 2) return undefined;
        await tx.run('UPDATE artifact_activations SET rolled_back = 1 WHERE seq = ?', [Number(rows[0]?.['seq'])]);
        return String(rows[1]?.['version']);
      }),
    activeVersion: () => activeVersion(db),
    async active() {
      const rows = await db.query(`SELECT a.* FROM artifacts a WHERE a.version = (${ACTIVE})`);
      const r = rows[0];
      return r === undefined ? undefined : { ...info(r, String(r['version'])), body: String(r['body']) };
    },
  };
}

function sessionStore(db: SqlDriver): SessionStore {
  return {
    async get(sessionId, now) {
      const rows = await db.query('SELECT bucket, expires_at FROM sessions WHERE session_id = ? AND expires_at > ?', [sessionId, now]);
      const r = rows[0];
      return r === undefined ? undefined : { bucket: String(r['bucket']) as Bucket, expiresAt: Number(r['expires_at']) };
    },
    async put(sessionId, state, now) {
      await db.run(
        'INSERT INTO sessions (session_id, bucket, expires_at, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (session_id) DO UPDATE SET bucket = excluded.bucket, expires_at = excluded.expires_at, updated_at = excluded.updated_at',
        [sessionId, state.bucket, state.expiresAt, now],
      );
    },
    purgeExpired: (now) => db.run('DELETE FROM sessions WHERE expires_at <= ?', [now]),
  };
}
