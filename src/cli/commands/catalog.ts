import { parseArgs } from 'node:util';
import { loadBundledCatalog } from '../../catalog/load-bundled-catalog.js';
import { createCatalogSync, loadStoredCatalog } from '../../catalog/sync/catalog-sync.js';
import type { ModelListSource } from '../../catalog/sync/fetch-model-list.js';
import type { Config } from '../../config/config-schema.js';
import { GatewayError } from '../../errors/gateway-error.js';
import { parseSince as parseSinceArg } from '../../logs/report-by-artifact.js';
import { openStoreFromArgs } from '../../store/open-store-from-config.js';
import { isProviderId, PROVIDER_IDS } from '../../types/provider-id.js';

const HELP = `Usage: heimdall catalog <list|show ID|refresh|changes> [options]

The model catalog in service: the bundled snapshot with the providers' own lists laid over it.

  list                 every model with prices (USD per million tokens) and context window
  show ID              one model in full (canonical id, e.g. openrouter/openai/gpt-4o-mini)
  refresh              download the providers' model lists now and store what changed
  changes              price and context-window changes recorded by refreshes

Options:
  --config PATH        config file (storage.url, provider keys and base URLs)
  --storage URL        sqlite:PATH or postgres://... (overrides the config)
  --provider ID        only this provider (repeatable)
  --since WHEN         for changes: ISO date or age (7d, 12h)
  --json               machine-readable output
`;

/** The model-list sources the config allows: providers with a key, plus OpenRouter (public list). */
export function catalogSources(config: Config): ModelListSource[] {
  const out: ModelListSource[] = [];
  for (const id of PROVIDER_IDS) {
    const p = config.providers[id];
    if (!p.enabled) continue;
    if (p.api_key === undefined && id !== 'openrouter') continue;
    out.push({ provider: id, baseUrl: p.base_url, ...(p.api_key === undefined ? {} : { apiKey: p.api_key }), ...(p.proxy === undefined ? {} : { proxy: p.proxy }) });
  }
  return out;
}

/** `heimdall catalog`. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      storage: { type: 'string' },
      provider: { type: 'string', multiple: true },
      since: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  const [sub, arg] = positionals;
  if (values.help || sub === undefined) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  const providers = (values.provider ?? []).map((p) => {
    if (!isProviderId(p)) throw new GatewayError('caller_invalid_request', `unknown provider "${p}" (${PROVIDER_IDS.join(', ')})`);
    return p;
  });
  const { store, config } = await openStoreFromArgs(values);
  try {
    const bundled = loadBundledCatalog();
    if (sub === 'list') {
      const catalog = await loadStoredCatalog(store, bundled);
      const models = catalog.list().filter((m) => providers.length === 0 || providers.includes(m.provider));
      if (values.json) process.stdout.write(`${JSON.stringify({ snapshot_date: catalog.snapshotDate, models }, null, 2)}\n`);
      else {
        process.stdout.write(`catalog as of ${catalog.snapshotDate} (${models.length} models)\n`);
        for (const m of models) {
          process.stdout.write(`${m.id.padEnd(48)} in ${fmt(m.inputPerMTok).padStart(8)}  out ${fmt(m.outputPerMTok).padStart(8)}  ctx ${String(m.contextWindowTokens).padStart(8)}  ${m.status}\n`);
        }
      }
      return 0;
    }
    if (sub === 'show') {
      if (arg === undefined) throw new GatewayError('caller_invalid_request', 'catalog show needs a model id');
      const catalog = await loadStoredCatalog(store, bundled);
      const model = catalog.get(arg);
      if (model === undefined) throw new GatewayError('caller_model_not_found', `no model "${arg}" in the catalog`);
      process.stdout.write(`${JSON.stringify(model, null, 2)}\n`);
      return 0;
    }
    if (sub === 'refresh') {
      const sources = catalogSources(config).filter((s) => providers.length === 0 || providers.includes(s.provider));
      const sync = createCatalogSync({ store, bundled, sources, intervalMs: 0, threshold: config.catalog_sync.change_threshold });
      const report = await sync.refresh();
      if (values.json) process.stdout.write(`${JSON.stringify({ ...report, catalog: undefined }, null, 2)}\n`);
      else {
        for (const p of report.providers) {
          process.stdout.write(
            p.ok
              ? `${p.provider}: listed ${p.listed}, added ${p.added.length}, updated ${p.updated.length}, unpriced ${p.unpriced.length}, skipped ${p.skipped}, rejected ${p.rejected.length}\n`
              : `${p.provider}: FAILED (stored data kept): ${p.message}\n`,
          );
        }
        for (const c of report.changes) process.stdout.write(`  ${c.modelId} ${c.field}: ${c.oldValue ?? '-'} -> ${c.newValue ?? '-'}\n`);
        if (sources.length === 0) process.stdout.write('no provider to ask (configure provider API keys)\n');
      }
      return report.providers.every((p) => p.ok) ? 0 : 1;
    }
    if (sub === 'changes') {
      const since = values.since === undefined ? 0 : sinceOrThrow(values.since);
      const changes = await store.catalog.listChanges(since);
      if (values.json) process.stdout.write(`${JSON.stringify(changes, null, 2)}\n`);
      else for (const c of changes) process.stdout.write(`${new Date(c.at).toISOString()} ${c.modelId} ${c.field}: ${c.oldValue ?? '-'} -> ${c.newValue ?? '-'}\n`);
      return 0;
    }
    process.stderr.write(`heimdall catalog: unknown subcommand "${sub}"\n\n${HELP}`);
    return 2;
  } finally {
    await store.close();
  }
}

function fmt(n: number): string {
  return n.toFixed(n < 1 ? 3 : 2);
}

function sinceOrThrow(text: string): number {
  const t = parseSinceArg(text);
  if (t === undefined) throw new GatewayError('caller_invalid_request', `--since "${text}": give an ISO date or an age like 7d`);
  return t;
}
