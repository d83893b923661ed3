import { loadConfig } from '../config/load-config.js';
import type { Config } from '../config/config-schema.js';
import { openStore } from './open-store.js';
import type { Store } from './store.js';

/**
 * Opens the store a CLI command works on: `--storage URL` when given, else `storage.url` of the
 * config file (or of the defaults). Returns the config too, for commands that need more of it.
 */
export async function openStoreFromArgs(args: { readonly storage?: string | undefined; readonly config?: string | undefined }): Promise<{ store: Store; config: Config }> {
  const config = loadConfig(args.config === undefined ? {} : { path: args.config });
  const store = await openStore(args.storage ?? config.storage.url);
  return { store, config };
}
