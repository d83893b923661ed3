import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GatewayError } from '../errors/gateway-error.js';
import type { ParsedArtifact } from '../core/router-artifact.js';
import { parseArtifact } from './parse-artifact.js';

/** The artifact shipped with the package (`artifacts/default.json`), resolved from this file so it works from src/ and dist/. */
export function bundledArtifactPath(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'artifacts', 'default.json');
}

/** Reads and validates an artifact file. */
export function loadArtifactFile(path: string): ParsedArtifact {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new GatewayError('routing_artifact_invalid', `cannot read artifact ${path}: ${(err as Error).message}`, { cause: err });
  }
  return parseArtifactText(text, path);
}

/** Parses artifact JSON text; `source` names it in errors. */
export function parseArtifactText(text: string, source: string): ParsedArtifact {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new GatewayError('routing_artifact_invalid', `artifact ${source} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  try {
    return parseArtifact(json);
  } catch (err) {
    if (err instanceof GatewayError) throw new GatewayError(err.code, `artifact ${source}: ${err.message}`, { cause: err });
    throw err;
  }
}

/** File modification time in ms, or undefined when the file cannot be read. */
export function fileMtimeMs(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}
