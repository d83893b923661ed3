import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GatewayError } from '../errors/gateway-error.js';
import type { ModelCatalog } from './model-catalog.js';
import { parseCatalog } from './parse-catalog.js';

const RELATIVE_PATH = join('data', 'catalog', 'models.json');

/**
 * Finds `data/catalog/models.json` by walking up from this module, so the same code works from
 * `src/catalog` (tsx, vitest) and from `dist/catalog` (the published package).
 */
export function bundledCatalogPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth += 1) {
    const candidate = join(dir, RELATIVE_PATH);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new GatewayError('gateway_internal', `bundled model catalog ${RELATIVE_PATH} not found above ${fileURLToPath(import.meta.url)}`);
}

let cached: ModelCatalog | undefined;

/** The catalog shipped with the package (parsed once, then shared; it is immutable). */
export function loadBundledCatalog(): ModelCatalog {
  cached ??= loadCatalogFile(bundledCatalogPath());
  return cached;
}

/** Reads and validates a catalog file (e.g. an operator-supplied replacement). */
export function loadCatalogFile(path: string): ModelCatalog {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new GatewayError('gateway_config_invalid', `cannot read model catalog ${path}: ${(error as Error).message}`, { cause: error });
  }
  return parseCatalog(json);
}
