import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadArtifactFile, bundledArtifactPath } from '../../artifact/load-artifact.js';
import { routerStateFromConfig } from '../../app/create-routing-runtime.js';
import { loadBundledCatalog } from '../../catalog/load-bundled-catalog.js';
import { loadConfig } from '../../config/load-config.js';
import { createRouter } from '../../engine/create-router.js';
import { GatewayError, isGatewayError } from '../../errors/gateway-error.js';
import { parseAnthropicMessagesRequest } from '../../request/parse-anthropic-messages-request.js';
import { parseOpenAIChatRequest } from '../../request/parse-openai-chat-request.js';
import type { ChatRequest } from '../../types/chat.js';
import { PROVIDER_IDS } from '../../types/provider-id.js';
import type { RoutingDecision } from '../../types/routing-decision.js';

const HELP = `Usage: heimdall route (--prompt TEXT | --file REQUEST.json) [options]

Prints where Heimdall would send a request, without calling any provider.

Options:
  --prompt TEXT          a single user prompt
  --file PATH            an OpenAI chat-completions or Anthropic messages request body (JSON)
  --format F             openai | anthropic | auto (default: auto, by trying both)
  --model NAME           auto or a route alias (default: the request's model, else auto)
  --config PATH          config file (YAML or JSON); default: built-in defaults
  --artifact PATH        router artifact; default: config artifact.path, else the bundled one
  --providers LIST       providers with credentials, comma-separated (default: all)
  --explain              show features, clusters and every candidate's score
  --json                 print the decision as JSON
`;

/** `heimdall route`: the decision (and with --explain, why) for a prompt or a request file. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      prompt: { type: 'string' },
      file: { type: 'string' },
      format: { type: 'string', default: 'auto' },
      model: { type: 'string' },
      config: { type: 'string' },
      artifact: { type: 'string' },
      providers: { type: 'string' },
      explain: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if ((values.prompt === undefined) === (values.file === undefined)) {
    process.stderr.write(`heimdall route: give exactly one of --prompt or --file\n\n${HELP}`);
    return 2;
  }
  const config = loadConfig(values.config !== undefined ? { path: values.config } : {});
  const artifact = loadArtifactFile(values.artifact ?? config.artifact.path ?? bundledArtifactPath());
  const state = routerStateFromConfig(artifact, config, loadBundledCatalog());
  const providers = new Set(values.providers ? values.providers.split(',').map((p) => p.trim()) : PROVIDER_IDS);
  for (const p of providers) {
    if (!(PROVIDER_IDS as readonly string[]).includes(p)) throw new GatewayError('caller_invalid_request', `--providers: unknown provider "${p}"`);
  }
  let request = values.file !== undefined ? readRequest(values.file, values.format ?? 'auto') : promptRequest(values.prompt as string);
  const model = values.model ?? (request.model === '' ? 'auto' : request.model);
  request = { ...request, model };
  const aliases: Record<string, { bucket?: 'cheap' | 'mid' | 'hard'; alpha?: number }> = {};
  for (const [name, a] of Object.entries(config.router.aliases)) aliases[name] = a as { bucket?: 'cheap' | 'mid' | 'hard'; alpha?: number };
  const router = createRouter({ state: () => state, cache: { enabled: false }, aliases });
  if (!router.isRouted(model)) {
    throw new GatewayError('caller_invalid_request', `model "${model}" is not routed: use "auto" or one of the aliases (${Object.keys(aliases).join(', ')})`);
  }
  const started = performance.now();
  const decision = router.decide(request, { providers });
  const ms = performance.now() - started;
  if (values.json) process.stdout.write(`${JSON.stringify(decision)}\n`);
  else process.stdout.write(formatDecision(decision, values.explain ?? false, ms));
  return 0;
}

function promptRequest(prompt: string): ChatRequest {
  return parseOpenAIChatRequest({ model: 'auto', messages: [{ role: 'user', content: prompt }] });
}

function readRequest(path: string, format: string): ChatRequest {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new GatewayError('caller_invalid_request', `cannot read request ${path}: ${(err as Error).message}`);
  }
  if (format === 'openai') return parseOpenAIChatRequest(json);
  if (format === 'anthropic') return parseAnthropicMessagesRequest(json);
  if (format !== 'auto') throw new GatewayError('caller_invalid_request', `--format must be openai, anthropic or auto, not "${format}"`);
  try {
    return parseOpenAIChatRequest(json);
  } catch (openaiErr) {
    try {
      return parseAnthropicMessagesRequest(json);
    } catch {
      throw isGatewayError(openaiErr) ? new GatewayError('caller_invalid_request', `${path}: ${openaiErr.message}`) : openaiErr;
    }
  }
}

/** Human-readable decision; with `explain`, the numbers behind it. */
export function formatDecision(d: RoutingDecision, explain: boolean, ms: number): string {
  const top = d.candidates[0];
  const lines: string[] = [];
  lines.push(`model      ${top ? `${top.id} (${top.name})` : '-'}`);
  lines.push(`provider   ${top?.provider ?? '-'}`);
  lines.push(`bucket     ${d.bucket}  (p cheap ${d.bucketProbabilities.cheap.toFixed(3)}, mid ${d.bucketProbabilities.mid.toFixed(3)}, hard ${d.bucketProbabilities.hard.toFixed(3)})`);
  if (top?.reasoning) lines.push(`reasoning  ${JSON.stringify(top.reasoning)}`);
  lines.push(`fallbacks  ${d.candidates.slice(1).map((c) => c.id).join(', ') || '-'}`);
  lines.push(`artifact   ${d.artifactVersion}   decided in ${ms.toFixed(3)} ms`);
  if (explain) {
    const f = d.explanation.features;
    lines.push('', 'features');
    lines.push(`  prompt tokens ${f.promptTokens} (routed text ${f.tokens}), expected output ${f.expectedOutputTokens}, code ${f.hasCode}, math ${f.hasMath}, trigram entropy ${f.entropy.toFixed(3)} bits`);
    lines.push('clusters (top_p)');
    for (const c of d.explanation.clusters) lines.push(`  #${c.index}  similarity ${c.similarity.toFixed(4)}  weight ${c.weight.toFixed(4)}`);
    if (d.explanation.escalation) lines.push(`escalation  ${d.explanation.escalation}`);
    lines.push(`candidates (alpha ${d.explanation.alpha})`);
    lines.push(`  ${'model'.padEnd(40)} ${'bucket'.padEnd(6)} ${'Q'.padStart(7)} ${'C'.padStart(7)} ${'USD'.padStart(10)} ${'ctx'.padStart(6)} ${'pen'.padStart(6)} ${'score'.padStart(8)}`);
    for (const c of d.candidates) {
      const pen = c.penalties.ctxOver80pct + c.penalties.latencySd;
      lines.push(
        `  ${c.id.padEnd(40)} ${c.bucket.padEnd(6)} ${c.quality.toFixed(4).padStart(7)} ${c.cost.toFixed(4).padStart(7)} ${c.costUsd.toExponential(2).padStart(10)} ${c.contextRatio.toFixed(3).padStart(6)} ${pen.toFixed(3).padStart(6)} ${c.score.toFixed(4).padStart(8)}`,
      );
    }
    for (const e of d.explanation.excluded) lines.push(`  excluded ${e.name}: ${e.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
