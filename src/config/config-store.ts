import { castToError, GatewayError, isGatewayError } from '../errors/gateway-error.js';
import type { Config } from './config-schema.js';
import { loadConfig, type LoadConfigOptions } from './load-config.js';

/** A log line from the store; the host wires it to its logger. */
export interface ConfigStoreLogEvent {
  readonly level: 'info' | 'error';
  readonly message: string;
  readonly error?: GatewayError;
}

export type ConfigStoreLogger = (event: ConfigStoreLogEvent) => void;

/** Called after a new snapshot is swapped in. */
export type ConfigListener = (next: Config, previous: Config) => void;

/** What {@link ConfigStore.reload} did. */
export type ReloadResult =
  | { readonly ok: true; readonly changed: boolean; readonly config: Config }
  | { readonly ok: false; readonly error: GatewayError; readonly config: Config };

export interface ConfigStoreOptions {
  /** Builds a fresh snapshot; throws on invalid config (as {@link loadConfig} does). */
  readonly load: () => Config;
  readonly logger?: ConfigStoreLogger;
}

function toGatewayError(error: unknown): GatewayError {
  if (isGatewayError(error)) return error;
  return new GatewayError('gateway_config_invalid', `configuration reload failed: ${castToError(error).message}`, { cause: error });
}

/**
 * Holds the current frozen configuration snapshot. A reload builds the next snapshot off to the
 * side and swaps it in with one assignment, so readers see either the old or the new snapshot,
 * never a mix; a failed reload keeps the last good one.
 */
export class ConfigStore {
  readonly #load: () => Config;
  readonly #logger: ConfigStoreLogger;
  readonly #listeners = new Set<ConfigListener>();
  #current: Config;
  #fingerprint: string;

  /** Loads the first snapshot; throws if it is invalid (a server must not start on bad config). */
  constructor(options: ConfigStoreOptions) {
    this.#load = options.load;
    this.#logger = options.logger ?? (() => undefined);
    this.#current = options.load();
    this.#fingerprint = JSON.stringify(this.#current);
  }

  /** The current snapshot. Hold on to it for the duration of one request. */
  get(): Config {
    return this.#current;
  }

  /** Rebuilds the snapshot; listeners run only when it actually changed. Never throws. */
  reload(): ReloadResult {
    let next: Config;
    try {
      next = this.#load();
    } catch (error) {
      const gatewayError = toGatewayError(error);
      this.#logger({ level: 'error', message: 'configuration reload failed; keeping the previous configuration', error: gatewayError });
      return { ok: false, error: gatewayError, config: this.#current };
    }
    const fingerprint = JSON.stringify(next);
    if (fingerprint === this.#fingerprint) return { ok: true, changed: false, config: this.#current };
    const previous = this.#current;
    this.#current = next;
    this.#fingerprint = fingerprint;
    this.#logger({ level: 'info', message: 'configuration reloaded' });
    for (const listener of [...this.#listeners]) {
      try {
        listener(next, previous);
      } catch (error) {
        this.#logger({ level: 'error', message: 'configuration listener failed', error: toGatewayError(error) });
      }
    }
    return { ok: true, changed: true, config: next };
  }

  /** Registers a listener for swaps; returns the function that unregisters it. */
  subscribe(listener: ConfigListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }
}

/** A store that reloads with {@link loadConfig} (re-reading `process.env` unless `env` is given). */
export function createConfigStore(options: LoadConfigOptions & { readonly logger?: ConfigStoreLogger } = {}): ConfigStore {
  const { logger, ...loadOptions } = options;
  return new ConfigStore({ load: () => loadConfig(loadOptions), ...(logger ? { logger } : {}) });
}
