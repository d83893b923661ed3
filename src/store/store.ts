import type { Bucket } from '../types/routing-decision.js';

/** How a routed (or passed-through) request ended. */
export type DecisionStatus = 'ok' | 'error';

/**
 * One decision record: what was asked, what the router decided and why, and how it went. Written
 * once per request by the decision logger; never contains credentials.
 */
export interface DecisionRecord {
  readonly requestId: string;
  /** Epoch ms when the request arrived. */
  readonly createdAt: number;
  readonly artifactVersion?: string;
  /** True when the router chose (`auto` or an alias); false for an explicit model. */
  readonly routed: boolean;
  /** The model name the client sent (`auto`, an alias, or a model id). */
  readonly requestedModel: string;
  readonly bucket?: Bucket;
  /** The artifact's name of the model that answered (the name training scores are keyed by). */
  readonly modelName?: string;
  /** Canonical `provider/model` id that answered (or was tried last). */
  readonly modelId?: string;
  readonly provider?: string;
  /** Who asked: a gateway key's name or a caller-supplied user id; never a key. */
  readonly client?: string;
  readonly sessionId?: string;
  /** The prompt features the decision was made on (the explanation's `features`). */
  readonly features?: Readonly<Record<string, number | boolean>>;
  /** The routing text's embedding: base64 of little-endian float32 (see float32-codec). */
  readonly embedding?: string;
  /** The decision and its explanation, as JSON-compatible data. */
  readonly decision?: unknown;
  /** Error codes of the targets given up on before the one that answered, in order. */
  readonly fallbacks: readonly string[];
  /** Total time of the request in ms. */
  readonly latencyMs: number;
  readonly decisionMs?: number;
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly costUsd?: number;
  readonly status: DecisionStatus;
  readonly errorCode?: string;
  /** SHA-256 of the routing text: joins records of the same prompt without storing it. */
  readonly promptHash?: string;
  /** The routing text; only when `logging.store_prompts` is on. */
  readonly prompt?: string;
}

/** Feedback attached to a decision by `POST /v1/feedback`. */
export interface DecisionFeedback {
  /** In [0, 1]. */
  readonly score: number;
  readonly label?: string;
  readonly createdAt: number;
}

/** A decision as read back, with its feedback when some was given. */
export interface StoredDecision extends DecisionRecord {
  readonly feedback?: DecisionFeedback;
}

/** Filters for {@link DecisionStore.list}. Times are epoch ms; `since` inclusive, `until` exclusive. */
export interface DecisionQuery {
  readonly since?: number;
  readonly until?: number;
  readonly withFeedback?: boolean;
  readonly artifactVersion?: string;
  readonly limit?: number;
}

declare const preparedDecision: unique symbol;

/** A decision record in a store's own row form, from {@link DecisionStore.prepare}; opaque. */
export interface PreparedDecision {
  readonly [preparedDecision]: true;
}

export interface DecisionStore {
  /** Inserts records; a request id already stored is kept as it was (retried batches are idempotent). */
  insert(records: readonly DecisionRecord[]): Promise<void>;
  /**
   * The record as `insertPrepared` writes it, its JSON columns serialized now. The decision logger
   * prepares each record when its request is logged: serializing a whole batch at insert time held
   * the event loop for ~0.5 ms every 32 requests, and for up to ~5 ms once a backlog made the
   * batches larger (docs/benchmarks.md, session 17).
   */
  prepare(record: DecisionRecord): PreparedDecision;
  /** Inserts records prepared by this store's `prepare`, as `insert` does. */
  insertPrepared(records: readonly PreparedDecision[]): Promise<void>;
  get(requestId: string): Promise<StoredDecision | undefined>;
  /** Attaches (or replaces) feedback; resolves false when no decision has that id. */
  setFeedback(requestId: string, feedback: DecisionFeedback): Promise<boolean>;
  /** Oldest first. */
  list(query?: DecisionQuery): Promise<StoredDecision[]>;
  /** Deletes records created before `before`; returns how many. */
  purge(before: number): Promise<number>;
  /**
   * Deletes at most `limit` of the oldest records created before `before`, with their feedback,
   * in one short transaction; returns how many. Retention calls it until it returns less than
   * `limit`, so a large backlog never holds the write lock for long.
   */
  purgeBatch(before: number, limit: number): Promise<number>;
}

/** A stored catalog entry: the snake_case entry of `data/catalog/models.json`'s schema. */
export interface StoredCatalogModel {
  readonly id: string;
  readonly provider: string;
  readonly entry: Readonly<Record<string, unknown>>;
  /** Where the figures came from (`openrouter:/api/v1/models`, `bundled`). */
  readonly source: string;
  readonly updatedAt: number;
}

/** The last refresh of one provider's list. */
export interface CatalogRefresh {
  readonly provider: string;
  readonly refreshedAt: number;
  readonly ok: boolean;
  readonly message: string;
  /** Models the provider listed. */
  readonly listed: number;
}

/** A price or limit that moved by more than the configured threshold. */
export interface CatalogChange {
  readonly at: number;
  readonly modelId: string;
  readonly field: string;
  readonly oldValue: number | null;
  readonly newValue: number | null;
}

export interface CatalogStore {
  upsertModels(models: readonly StoredCatalogModel[]): Promise<void>;
  listModels(): Promise<StoredCatalogModel[]>;
  recordRefresh(refresh: CatalogRefresh): Promise<void>;
  listRefreshes(): Promise<CatalogRefresh[]>;
  addChanges(changes: readonly CatalogChange[]): Promise<void>;
  /** Newest first. */
  listChanges(since?: number): Promise<CatalogChange[]>;
}

/** One version in the artifact registry. */
export interface StoredArtifactInfo {
  readonly version: string;
  /** Push order, from 1. */
  readonly seq: number;
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly pushedAt: number;
  readonly note?: string;
  readonly active: boolean;
}

export interface StoredArtifact extends StoredArtifactInfo {
  /** The artifact JSON text, exactly as pushed. */
  readonly body: string;
}

export interface ArtifactRegistryStore {
  /** Stores a version; resolves false (and stores nothing) when the version is already there. */
  push(artifact: { version: string; body: string; sha256: string; note?: string; pushedAt: number }): Promise<boolean>;
  /** Newest push first. */
  list(): Promise<StoredArtifactInfo[]>;
  get(version: string): Promise<StoredArtifact | undefined>;
  /** Makes `version` the active one; resolves false when it is not in the registry. */
  activate(version: string, at: number): Promise<boolean>;
  /**
   * Undoes the latest activation (a stack: rolling back twice goes back two activations).
   * Resolves the version now active, or undefined when there was nothing to roll back to.
   */
  rollback(at: number): Promise<string | undefined>;
  active(): Promise<StoredArtifact | undefined>;
  /** The active version only (cheap: replicas poll it). */
  activeVersion(): Promise<string | undefined>;
}

/** The tier a conversation reached, kept so later turns do not route lower. */
export interface SessionState {
  readonly bucket: Bucket;
  readonly expiresAt: number;
}

export interface SessionStore {
  /** The session's state, unless absent or expired at `now`. */
  get(sessionId: string, now: number): Promise<SessionState | undefined>;
  put(sessionId: string, state: SessionState, now: number): Promise<void>;
  /** Removes sessions expired at `now`; returns how many. */
  purgeExpired(now: number): Promise<number>;
}

/**
 * Heimdall's persistent state (catalog, decision logs and feedback, artifact registry, sessions),
 * in SQLite or PostgreSQL with one schema. Every method may reject when the database is down;
 * callers on the request path must not wait on it (see the decision logger's queue).
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** The storage URL with any password removed, for messages and logs. */
  readonly description: string;
  readonly decisions: DecisionStore;
  readonly catalog: CatalogStore;
  readonly artifacts: ArtifactRegistryStore;
  readonly sessions: SessionStore;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
