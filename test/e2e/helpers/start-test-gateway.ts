import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createGateway, type Gateway, type GatewayOptions } from '../../../src/app/create-gateway.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { createLogger } from '../../../src/obs/create-logger.js';
import { writeTinyArtifact } from './tiny-artifact.js';

let artifactPath: string | undefined;

/** The tiny artifact's three models, served by OpenAI (point `providers.openai.base_url` at a fake upstream). */
export const TINY_OPENAI_MODELS = {
  'tiny-small': { provider: 'openai', model: 'gpt-4o-mini' },
  'tiny-medium': { provider: 'openai', model: 'gpt-4.1-mini' },
  'tiny-large': { provider: 'openai', model: 'gpt-4.1' },
} as const;

/** The tiny artifact, trained once per test file. */
export function tinyArtifactPath(): string {
  artifactPath ??= writeTinyArtifact();
  return artifactPath;
}

/** A running gateway on loopback. */
export interface TestGateway {
  readonly url: string;
  readonly gateway: Gateway;
  /** JSON log lines written so far. */
  readonly logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * Starts a gateway on 127.0.0.1 with the tiny artifact and `overrides` as the config's last layer
 * (no environment is read). Retries wait 0 ms unless the overrides say otherwise.
 */
export async function startTestGateway(overrides: Record<string, unknown>, options: GatewayOptions = {}): Promise<TestGateway> {
  const base = {
    artifact: { path: tinyArtifactPath(), reload_seconds: 0 },
    retry: { base_delay: 0, max_delay: 0 },
    server: { warmup_decisions: 20, warmup_requests: 10 },
    logging: { level: 'info' },
    // Tests never write a database into the working tree.
    storage: { url: 'sqlite::memory:' },
  };
  const config = loadConfig({ env: {}, overrides: deepMerge(base, overrides) });
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const gateway = await createGateway(config, { logger: createLogger({ level: 'info', destination: sink }), ...options });
  await gateway.warmUp();
  const server: Server = createServer(gateway.handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    gateway,
    logs,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.close();
    },
  };
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] =
      typeof v === 'object' && v !== null && !Array.isArray(v) && typeof prev === 'object' && prev !== null && !Array.isArray(prev)
        ? deepMerge(prev as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}
