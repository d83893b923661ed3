/** A CLI command: `run` returns the process exit code. */
export interface CliCommand {
  run(argv: string[]): Promise<number>;
}

interface CommandEntry {
  readonly summary: string;
  readonly load: () => Promise<CliCommand>;
}

/** Every command of the `heimdall` CLI, loaded lazily. */
export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  serve: { summary: 'Start the gateway (OpenAI- and Anthropic-compatible, routing with fallbacks)', load: () => import('./commands/serve.js') },
  'validate-config': { summary: 'Check a config file the way the gateway loads it', load: () => import('./commands/validate-config.js') },
  route: { summary: 'Print the routing decision for a prompt or request file', load: () => import('./commands/route.js') },
  train: { summary: 'Learn a routing artifact from scored prompts', load: () => import('./commands/train.js') },
  eval: { summary: 'Evaluate the router against baselines (split, cv5) with cost-quality curves', load: () => import('./commands/eval.js') },
  catalog: { summary: 'List, show and refresh the model catalog from the providers\' model lists', load: () => import('./commands/catalog.js') },
  artifact: { summary: 'Artifact registry: push, list, activate, rollback', load: () => import('./commands/artifact.js') },
  logs: { summary: 'Export decision logs with feedback as training data; purge old records', load: () => import('./commands/logs.js') },
  report: { summary: 'Compare artifact versions from the decision logs (cost, latency, fallbacks, feedback)', load: () => import('./commands/report.js') },
};
