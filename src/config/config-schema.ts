import { z } from 'zod';
import { PROVIDER_IDS } from '../types/provider-id.js';
import { CREDENTIAL_KINDS } from './credential-kinds.js';
import { DEFAULT_MODEL_MAP } from './default-models.js';
import { durationMs, optionalDurationMs } from './duration.js';

/** Environment used to resolve secret references (`env:NAME` / `{ env: NAME }`). */
export type ConfigEnv = Readonly<Record<string, string | undefined>>;

const REASONING_EFFORTS = ['minimal', 'low', 'medium', 'high'] as const;
const BUCKETS = ['cheap', 'mid', 'hard'] as const;
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** Official API roots, following each vendor SDK's base-URL convention. */
export const DEFAULT_BASE_URLS = {
  openai: 'https://api.openai.com/v1',
  // The Anthropic SDK (and ANTHROPIC_BASE_URL) excludes the `/v1` segment.
  anthropic: 'https://api.anthropic.com',
  gemini: 'https://generativelanguage.googleapis.com/v1beta',
  openrouter: 'https://openrouter.ai/api/v1',
} as const;

const probability = z.number().min(0).max(1);
const positiveInt = z.int().min(1);
const nonNegativeInt = z.int().min(0);
const modelPattern = z.string().min(1);

function httpUrl(): z.ZodString {
  return z.string().refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');
}

/**
 * A secret given literally, as `env:NAME`, or as `{ env: NAME }`; resolved against `env` while
 * parsing, so the parsed config only ever holds the secret's value.
 */
function secretRef(env: ConfigEnv) {
  return z
    .union([z.string().min(1), z.strictObject({ env: z.string().min(1) })], { error: 'expected a secret: a string, "env:NAME" or { env: NAME }' })
    .transform((ref, ctx) => {
    const name = typeof ref === 'string' ? (ref.startsWith('env:') ? ref.slice(4) : undefined) : ref.env;
    if (name === undefined) return ref as string;
    const value = env[name];
    if (value === undefined || value === '') {
      ctx.addIssue({ code: 'custom', message: `environment variable ${name} is not set` });
      return z.NEVER;
    }
    return value;
  });
}

function bucketDefaults(defaults: { reasoning_effort?: (typeof REASONING_EFFORTS)[number]; thinking_budget?: number }) {
  const effort = z.enum(REASONING_EFFORTS);
  const budget = nonNegativeInt;
  return z
    .strictObject({
      reasoning_effort: defaults.reasoning_effort === undefined ? effort.optional() : effort.default(defaults.reasoning_effort),
      thinking_budget: defaults.thinking_budget === undefined ? budget.optional() : budget.default(defaults.thinking_budget),
      expected_output_tokens: positiveInt.optional(),
    })
    .prefault({});
}

const aliasSchema = z.strictObject({
  alpha: probability.optional(),
  allow: z.array(modelPattern).optional(),
  deny: z.array(modelPattern).optional(),
  /** Forces the bucket instead of asking the classifier. */
  bucket: z.enum(BUCKETS).optional(),
});

/** Route aliases every install has; user aliases of the same name replace them. */
export const DEFAULT_ALIASES = {
  fast: { bucket: 'cheap', alpha: 0.3 },
  smart: { bucket: 'hard', alpha: 0.9 },
} as const satisfies Record<string, z.input<typeof aliasSchema>>;

const ALIAS_NAME = /^[a-z0-9][a-z0-9._-]*$/;

function providerSchema(env: ConfigEnv, id: keyof typeof DEFAULT_BASE_URLS) {
  return z
    .strictObject({
      api_key: secretRef(env).optional(),
      base_url: httpUrl().default(DEFAULT_BASE_URLS[id]),
      /**
       * An HTTP(S) forward proxy for this provider's calls, tunnelled with CONNECT; credentials in
       * the URL (`http://user:pass@proxy:3128`) become `Proxy-Authorization`. Unset: `HTTPS_PROXY` /
       * `HTTP_PROXY` (by the base URL's scheme) unless `NO_PROXY` names the host; loopback hosts
       * never take a proxy from the environment. The provider's model-list refresh uses it too.
       */
      proxy: httpUrl().optional(),
      timeout: optionalDurationMs().optional(),
      enabled: z.boolean().default(true),
    })
    .prefault({});
}

/**
 * Builds the configuration schema. The schema owns every default; `env` only resolves secret
 * references (conventional variables like `OPENAI_API_KEY` are applied before parsing).
 */
export function createConfigSchema(env: ConfigEnv = {}) {
  const secret = secretRef(env);
  return z
    .strictObject({
      server: z
        .strictObject({
          host: z.string().min(1).default('0.0.0.0'),
          port: z.int().min(0).max(65_535).default(8080),
          /** 0 means one worker per CPU core. */
          workers: nonNegativeInt.default(0),
          body_limit_bytes: positiveInt.default(10 * 1024 * 1024),
          request_timeout: durationMs(600_000),
          shutdown_grace: durationMs(10_000),
          /**
           * Chat requests (`/v1/chat/completions`, `/v1/messages`) one worker serves at once; past it a
           * request is refused at once with a 503 and `Retry-After: 1`, before its body is read. It
           * bounds the memory of the requests inside the worker, not the queue in front of a worker
           * whose CPU is saturated: at 3,000 req/s on a worker good for ~2,900, 256 held the peak at
           * 143 MB against 184 and refused a fifth, and the accepted requests still waited in the
           * sockets (docs/benchmarks.md, "Session 14"); more workers are the cure for that. 0: no
           * limit. A stream holds its slot to its end, so size it for the longest answers.
           */
          max_in_flight: nonNegativeInt.default(0),
          /**
           * Requests a worker starts per turn of its event loop; more wait, in order, for the next
           * turns (nothing is refused). Past capacity, a worker that started every parsed request
           * at once held ~1,000 of them half-done across turns of hundreds of milliseconds: at 3,000
           * req/s its peak RSS was 178-210 MB against 124-126 MB with 32, its loop lag p99 280-360
           * against 60-65 ms, and its decision log fell behind (docs/benchmarks.md, session 20).
           * Below capacity nothing waits. 0: no limit.
           */
          max_requests_per_turn: nonNegativeInt.default(32),
          warmup_decisions: nonNegativeInt.default(300),
          /**
           * Requests each worker sends itself over loopback before it reports ready (`POST /v1/route`
           * in both dialects, never a provider), and rounds of translating sample answers and
           * streams: without them the first ~1,000 real requests ran on cold code, tens to hundreds
           * of milliseconds each (docs/benchmarks.md, "Session 7"). 0 turns both off.
           */
          warmup_requests: nonNegativeInt.default(600),
          /**
           * V8 heap sizing of the gateway processes, passed as node flags when the workers are
           * started (docs/benchmarks.md, "Session 5"). 0 leaves V8's own choice.
           */
          heap: z
            .strictObject({
              /**
               * The old generation may reach this size before V8 starts a full GC, and never gets a
               * lower limit afterwards: V8's own limit sits ~10 MB above the live heap at a steady
               * 1,000 req/s, which meant a mark-compact every 2-4 s and most of the p99. Session 11
               * set 64 MB, twice the live heap then. Session 12 found most of what filled it was not
               * promoted but pretenured (see `pretenuring`); without that, 32 MB holds ~50 s at
               * 1,000 req/s and lets start-up's garbage (the artifact's text) go before the load.
               */
              initial_old_space_mb: nonNegativeInt.default(32),
              /**
               * Largest young-generation semi-space (MB); 0 = V8's default (16 MB on 64-bit). Both
               * semi-spaces stay committed once grown, so this is twice its size of every worker's
               * RSS. 8 doubles the scavenges, each about as long: with the other session 12
               * defaults, ~2-5% more CPU a request and 27 MB less at the peak, but less headroom
               * for a worker run close to its capacity (docs/benchmarks.md, sessions 5 and 12).
               */
              max_semi_space_mb: nonNegativeInt.default(8),
              /** Hard cap of the old generation (memory-limited containers); 0 = V8's default. */
              max_old_space_mb: nonNegativeInt.default(0),
              /**
               * After each full GC V8 lets the old generation grow to the live heap times a factor
               * it picks from how fast its GC runs, up to 4x: a worker at the maximum rate ran its
               * mark-compacts with 109-127 MB in use for 31 MB live. `--heap-growing-percent` fixes
               * the factor at 1 + percent/100 (100: twice the live heap; after a minute at the
               * maximum rate 179 against 223 MB RSS). Session 12 took it to 25: at 1,000 req/s the
               * 32 MB floor is the limit anyway; at 3,000 req/s and the maximum rate, 22-23 full GCs
               * over a whole benchmark (~4 ms pauses) instead of 2 at 100, and 3-6 MB less RSS than
               * at 50, at no measurable CPU cost. 0 = V8's own factor.
               */
              growing_percent: nonNegativeInt.max(1_000).default(25),
              /**
               * V8 allocates straight into the old generation from code whose objects it saw survive
               * a scavenge. Under a burst (100 connections at the maximum rate, the bench's warm-up)
               * most of the request path qualified, and afterwards, at a steady 1,000 req/s, the
               * old generation grew 1.5 MB/s with objects that died young: under the 64 MB floor
               * of the time, a full GC every ~30 s and 15 MB more RSS within ten seconds. false passes `--no-allocation-site-pretenuring`: it grew 0.25
               * MB/s, what scavenges promote (docs/benchmarks.md, session 12).
               */
              pretenuring: z.boolean().default(false),
              /**
               * undici parses responses with llhttp compiled to WebAssembly; once it is hot, V8
               * recompiles it with TurboFan, which holds ~30 MB for the duration of that one
               * compile and so set the worker's peak RSS at start-up (Liftoff, the baseline
               * compiler, parses the same responses at no measurable CPU cost: docs/benchmarks.md,
               * session 11). false passes `--liftoff-only`.
               */
              optimize_wasm: z.boolean().default(false),
              /**
               * glibc's malloc returns freed memory to the system only above a threshold that grows
               * with the largest block ever freed (up to 32 MB), so the gateway's arenas kept what
               * start-up and bursts had used. A fixed threshold (KB; `glibc.malloc.trim_threshold`
               * and `mmap_threshold` in `GLIBC_TUNABLES`, set for the workers unless the
               * environment already has `GLIBC_TUNABLES`) lets it go. 0 = glibc's own; at most
               * 32768, the largest mmap threshold glibc accepts on 64-bit.
               */
              malloc_trim_threshold_kb: nonNegativeInt.max(32_768).default(128),
            })
            .prefault({})
            .superRefine((heap, ctx) => {
              if (heap.max_old_space_mb > 0 && heap.initial_old_space_mb > heap.max_old_space_mb) {
                ctx.addIssue({ code: 'custom', path: ['initial_old_space_mb'], message: `must not exceed max_old_space_mb (${heap.max_old_space_mb})` });
              }
            }),
        })
        .prefault({}),
      router: z
        .strictObject({
          // The next six default to the values the artifact was fitted with; set them to override.
          /** Quality tilt: 1 picks on quality alone, 0 on cost alone. */
          alpha: probability.optional(),
          /** Bucket probabilities; `hard` is checked first. */
          thresholds: z.strictObject({ cheap: probability.optional(), hard: probability.optional() }).prefault({}),
          /** How many nearest clusters feed the quality estimate. */
          top_p: positiveInt.optional(),
          cluster_temperature: z.number().positive().optional(),
          penalties: z
            .strictObject({ latency_sd: z.number().min(0).optional(), ctx_over_80pct: z.number().min(0).optional() })
            .prefault({}),
          /** How many of each bucket's best candidates the decision keeps (the choice and its fallbacks). */
          candidates_per_bucket: positiveInt.default(3),
          expected_output_tokens: positiveInt.optional(),
          bucket_defaults: z
            .strictObject({
              cheap: bucketDefaults({}),
              mid: bucketDefaults({ reasoning_effort: 'low', thinking_budget: 2048 }),
              hard: bucketDefaults({ reasoning_effort: 'high', thinking_budget: 8192 }),
            })
            .prefault({}),
          allow: z.array(modelPattern).default([]),
          deny: z.array(modelPattern).default([]),
          max_price_usd_per_request: z.number().positive().optional(),
          aliases: z
            .record(z.string().regex(ALIAS_NAME, 'alias names are lowercase letters, digits, ".", "_" or "-"'), aliasSchema)
            .optional()
            .transform((aliases) => ({ ...DEFAULT_ALIASES, ...aliases }))
            .superRefine((aliases, ctx) => {
              if ('auto' in aliases) ctx.addIssue({ code: 'custom', path: ['auto'], message: '"auto" is reserved for the router' });
            }),
        })
        .prefault({}),
      artifact: z
        .strictObject({
          /** Local artifact file; absent means the bundled `artifacts/default.json`. */
          path: z.string().min(1).optional(),
          /** Remote artifact, polled with ETag every `reload_seconds`. */
          url: httpUrl().optional(),
          reload_seconds: nonNegativeInt.default(60),
          /** Serve the artifact registry's active version (`heimdall artifact activate`); `path` or the bundled file is the fallback until one is activated. */
          registry: z.boolean().optional(),
          /** A candidate artifact for a share of traffic, sticky per session or client. */
          canary: z.strictObject({ path: z.string().min(1), percent: z.number().min(0).max(100) }).optional(),
        })
        .prefault({}),
      /** Artifact model name → where it is served; entries merge over {@link DEFAULT_MODEL_MAP}. */
      models: z
        .record(z.string().min(1), z.strictObject({ provider: z.enum(PROVIDER_IDS), model: z.string().min(1) }))
        .optional()
        .transform((models) => ({ ...DEFAULT_MODEL_MAP, ...models })),
      providers: z
        .strictObject({
          openai: providerSchema(env, 'openai'),
          anthropic: providerSchema(env, 'anthropic'),
          gemini: providerSchema(env, 'gemini'),
          openrouter: providerSchema(env, 'openrouter'),
        })
        .prefault({}),
      cache: z
        .strictObject({
          decisions: z
            .strictObject({
              enabled: z.boolean().default(true),
              max_entries: nonNegativeInt.default(10_000),
              ttl: durationMs(600_000),
              /** `repeat`: cache a decision when its request comes back (one-off prompts cost no entry); `all`: cache every decision. */
              admission: z.enum(['repeat', 'all']).default('repeat'),
            })
            .prefault({}),
          embeddings: z
            .strictObject({
              max_entries: nonNegativeInt.default(10_000),
              /** `repeat`: cache a text's vector when the text comes back; `all`: cache every vector. */
              admission: z.enum(['repeat', 'all']).default('repeat'),
            })
            .prefault({}),
        })
        .prefault({}),
      embedding: z
        .strictObject({
          kind: z.enum(['local', 'remote']).default('local'),
          remote: z
            .strictObject({
              url: httpUrl(),
              model: z.string().min(1),
              api_key: secret.optional(),
              /** A forward proxy for the embedding calls; unset: from the environment, as a provider's `proxy`. */
              proxy: httpUrl().optional(),
              timeout: durationMs(200),
              dim: positiveInt.optional(),
            })
            .optional(),
        })
        .prefault({})
        .superRefine((embedding, ctx) => {
          if (embedding.kind === 'remote' && embedding.remote === undefined) {
            ctx.addIssue({ code: 'custom', path: ['remote'], message: 'required when embedding.kind is "remote"' });
          }
        }),
      timeouts: z
        .strictObject({
          connect: durationMs(5_000),
          headers: durationMs(60_000),
          idle: durationMs(60_000),
          embedding: durationMs(200),
          feature: durationMs(15),
          /** A provider's token count (`/v1/messages/count_tokens`); past it the gateway answers with its estimate. */
          count_tokens: durationMs(5_000),
        })
        .prefault({}),
      fallbacks: z.strictObject({ enabled: z.boolean().default(true), max_attempts: positiveInt.default(3) }).prefault({}),
      retry: z
        .strictObject({
          max_retries: nonNegativeInt.default(1),
          base_delay: durationMs(250),
          max_delay: durationMs(8_000),
          max_retry_after: durationMs(20_000),
        })
        .prefault({}),
      auth: z
        .strictObject({
          adapters: z.array(z.enum(CREDENTIAL_KINDS)).default([...CREDENTIAL_KINDS]),
          gateway_keys: z
            .array(
              z
                .strictObject({
                  key: secret,
                  name: z.string().min(1),
                  models: z.array(modelPattern).optional(),
                  max_price_usd_per_request: z.number().positive().optional(),
                  /** Requests per minute (sliding window, shared by every replica through Redis). */
                  rpm: positiveInt.optional(),
                  /** Prompt plus output tokens per minute (sliding window). */
                  tpm: positiveInt.optional(),
                  /** USD spend allowed per `budget_period` (calendar day or month, UTC). */
                  budget_usd: z.number().positive().optional(),
                  budget_period: z.enum(['day', 'month']).optional(),
                })
                .superRefine((entry, ctx) => {
                  if (entry.budget_period !== undefined && entry.budget_usd === undefined) {
                    ctx.addIssue({ code: 'custom', path: ['budget_period'], message: 'needs budget_usd' });
                  }
                })
                // A budget without a period is monthly; keys without a budget stay as written.
                .transform((entry) => (entry.budget_usd !== undefined && entry.budget_period === undefined ? { ...entry, budget_period: 'month' as const } : entry)),
            )
            .default([])
            .superRefine((keys, ctx) => {
              const names = new Set<string>();
              const values = new Set<string>();
              keys.forEach((entry, index) => {
                if (names.has(entry.name)) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate gateway key name "${entry.name}"` });
                if (values.has(entry.key)) ctx.addIssue({ code: 'custom', path: [index, 'key'], message: 'duplicate gateway key value' });
                names.add(entry.name);
                values.add(entry.key);
              });
            }),
          anthropic_oauth_cooldown: durationMs(240_000),
        })
        .prefault({}),
      logging: z.strictObject({ level: z.enum(LOG_LEVELS).default('info'), store_prompts: z.boolean().default(false) }).prefault({}),
      metrics: z.strictObject({ enabled: z.boolean().default(true) }).prefault({}),
      storage: z.strictObject({ url: z.string().min(1).default('sqlite:.heimdall/heimdall.db') }).prefault({}),
      /** Decision records written to the store, batched off the hot path. */
      decision_log: z
        .strictObject({
          enabled: z.boolean().default(true),
          // Records that start a write without waiting for `flush`. Such a write takes whole batches
          // (up to 1,000 records, in 50-row statements of one transaction when there are more than
          // 50) and leaves the rest for the next batch; the `flush` timer and shutdown write everything.
          batch_size: positiveInt.default(32),
          flush: durationMs(1_000),
          /** Records held while the store is down; beyond this they are dropped and counted. */
          max_queue: positiveInt.default(10_000),
          /**
           * Records (and their feedback) older than this are deleted, in batches, every 10 minutes;
           * 0 keeps them forever. A row is ~2.8 KB on disk: at 1,000 requests/s the table grew by
           * ~10 GB an hour, so a store nobody pruned filled its disk.
           */
          retention: durationMs(30 * 86_400_000),
        })
        .prefault({}),
      /** Refreshing prices and limits from the providers' model lists. */
      catalog_sync: z
        .strictObject({
          /** How often; 0 turns the schedule off (`heimdall catalog refresh` still works). */
          refresh: durationMs(86_400_000),
          /** Relative change of a price or context window that is reported. */
          change_threshold: z.number().min(0).default(0.05),
        })
        .prefault({}),
      /**
       * An explicit model id the catalog does not list: `pass` sends it to the provider its spelling
       * names (`anthropic/...`, `claude-*`, `gpt-*`, `o3-*`, `gemini-*`, other `vendor/model` to
       * OpenRouter), whose answer says whether it exists; `refuse` answers 404 `caller_model_not_found`.
       * Such a model has no price: gateway keys with a price cap or a USD budget cannot use it.
       */
      unlisted_models: z.enum(['pass', 'refuse']).default('pass'),
      /** Conversations stay on the tier they reached. */
      sessions: z.strictObject({ enabled: z.boolean().default(true), ttl: durationMs(3_600_000) }).prefault({}),
      redis: z.strictObject({ url: z.string().min(1).optional() }).prefault({}),
    })
    .superRefine((config, ctx) => {
      if (config.retry.base_delay > config.retry.max_delay) {
        ctx.addIssue({ code: 'custom', path: ['retry', 'base_delay'], message: 'must not exceed retry.max_delay' });
      }
    });
}

/** The schema with secrets resolved against an empty environment (for types and tooling). */
export const ConfigSchema = createConfigSchema();

type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends ReadonlyArray<infer U>
    ? ReadonlyArray<DeepReadonly<U>>
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

/** A validated, defaulted, secret-resolved and deep-frozen configuration snapshot. Durations are ms. */
export type Config = DeepReadonly<z.output<ReturnType<typeof createConfigSchema>>>;

/** What a config file (or override object) may contain, before defaults. */
export type ConfigInput = z.input<ReturnType<typeof createConfigSchema>>;

/** A routing bucket name. */
export type Bucket = (typeof BUCKETS)[number];
