import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ArtifactSource } from '../artifact/artifact-store.js';
import { parseArtifactText } from '../artifact/load-artifact.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { ArtifactRegistryStore, StoredArtifactInfo } from '../store/store.js';

type Registry = { readonly artifacts: ArtifactRegistryStore };

/** What {@link pushArtifact} did. */
export interface PushResult {
  readonly version: string;
  readonly sha256: string;
  /** False when that version was already in the registry (nothing was stored). */
  readonly created: boolean;
}

/**
 * Validates an artifact (the same checks as loading it for serving) and stores it under its own
 * `version`. Pushing does not activate: a bad push cannot reach traffic until someone activates it.
 * @throws GatewayError `routing_artifact_invalid` for an artifact the gateway would refuse.
 */
export async function pushArtifact(store: Registry, text: string, options: { readonly note?: string; readonly now?: number; readonly source?: string } = {}): Promise<PushResult> {
  const parsed = parseArtifactText(text, options.source ?? 'artifact');
  const sha256 = createHash('sha256').update(text).digest('hex');
  const created = await store.artifacts.push({ version: parsed.version, body: text, sha256, pushedAt: options.now ?? Date.now(), ...(options.note === undefined ? {} : { note: options.note }) });
  if (!created) {
    const existing = await store.artifacts.get(parsed.version);
    if (existing !== undefined && existing.sha256 !== sha256) {
      throw new GatewayError('caller_invalid_request', `version ${parsed.version} is already in the registry with different content (sha256 ${existing.sha256.slice(0, 12)})`);
    }
  }
  return { version: parsed.version, sha256, created };
}

/** Reads a file and {@link pushArtifact}s it. */
export async function pushArtifactFile(store: Registry, path: string, options: { readonly note?: string; readonly now?: number } = {}): Promise<PushResult> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new GatewayError('caller_invalid_request', `cannot read artifact ${path}: ${(err as Error).message}`, { cause: err });
  }
  return pushArtifact(store, text, { ...options, source: path });
}

/**
 * Makes `version` the one every replica serves from its next reload.
 * @throws GatewayError `caller_not_found` when the version was never pushed.
 */
export async function activateArtifact(store: Registry, version: string, now: number = Date.now()): Promise<void> {
  if (!(await store.artifacts.activate(version, now))) throw new GatewayError('caller_not_found', `artifact version ${version} is not in the registry (push it first)`);
}

/**
 * Goes back to the version active before the latest activation.
 * @throws GatewayError `caller_invalid_request` when there is no earlier activation.
 * @returns the version now active.
 */
export async function rollbackArtifact(store: Registry, now: number = Date.now()): Promise<string> {
  const version = await store.artifacts.rollback(now);
  if (version === undefined) throw new GatewayError('caller_invalid_request', 'nothing to roll back to: fewer than two activations in the registry');
  return version;
}

/** Every pushed version, newest first, with the active one marked. */
export function listArtifacts(store: Registry): Promise<StoredArtifactInfo[]> {
  return store.artifacts.list();
}

/**
 * An artifact source for `createArtifactStore` that serves the registry's active version. Replicas
 * poll only the active version id (one small query) and read the body when it changes. While the
 * registry has no active version, `fallback` (the configured or bundled artifact file's text) is
 * served, so a fresh install starts before anything was pushed.
 */
export function createStoreArtifactSource(store: Registry, options: { readonly description: string; readonly fallback?: () => string }): ArtifactSource {
  return {
    kind: 'store',
    name: `artifact registry (${options.description})`,
    async fetchActive(currentVersion) {
      const version = await store.artifacts.activeVersion();
      if (version === undefined) {
        if (currentVersion !== undefined || options.fallback === undefined) return undefined;
        const text = options.fallback();
        return { version: parseArtifactText(text, 'fallback artifact').version, text };
      }
      if (version === currentVersion) return undefined;
      const active = await store.artifacts.get(version);
      return active === undefined ? undefined : { version: active.version, text: active.body };
    },
  };
}
