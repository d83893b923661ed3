#!/usr/bin/env node
import { GatewayError, isGatewayError } from '../errors/gateway-error.js';
import { COMMANDS } from './commands.js';

/**
 * `heimdall <command> [options]`. Each command is a module exporting `run(argv)`, loaded on demand
 * so `heimdall route` does not pay for the server's imports.
 */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`heimdall: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const mod = await command.load();
  return mod.run(rest);
}

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(16)} ${c.summary}`);
  return `Usage: heimdall <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "heimdall <command> --help" for a command's options.\n`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Typed errors are the user's to fix: say what is wrong without a stack trace.
    if (isGatewayError(err)) process.stderr.write(`heimdall: ${err.message}\n`);
    else process.stderr.write(`heimdall: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = err instanceof GatewayError && err.status < 500 ? 2 : 1;
  },
);
