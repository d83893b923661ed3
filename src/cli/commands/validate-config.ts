import { parseArgs } from 'node:util';
import { loadConfig, validateConfigFile } from '../../config/load-config.js';
import { redactConfig } from '../../config/redact-config.js';

const HELP = `Usage: heimdall validate-config FILE [--print]

Validates a config file exactly as the gateway loads it (file + environment overlay + defaults).
Exit code 0 when valid; otherwise every problem is printed as "path: message" and the exit code is 2.

Options:
  --print   print the effective config (defaults applied, secrets redacted) as JSON
`;

/** `heimdall validate-config`: the gateway's own config loader, without starting anything. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { print: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } }, allowPositionals: true, strict: true });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const path = positionals[0];
  if (!path || positionals.length > 1) {
    process.stderr.write(`heimdall validate-config: give exactly one config file\n\n${HELP}`);
    return 2;
  }
  const result = validateConfigFile(path);
  if (!result.ok) {
    for (const e of result.errors) process.stderr.write(`${path}: ${e}\n`);
    return 2;
  }
  if (values.print) process.stdout.write(`${JSON.stringify(redactConfig(loadConfig({ path })), null, 2)}\n`);
  else process.stdout.write(`${path}: ok\n`);
  return 0;
}
