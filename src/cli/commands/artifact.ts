import { parseArgs } from 'node:util';
import { GatewayError } from '../../errors/gateway-error.js';
import { activateArtifact, listArtifacts, pushArtifactFile, rollbackArtifact } from '../../registry/artifact-registry.js';
import { openStoreFromArgs } from '../../store/open-store-from-config.js';

const HELP = `Usage: heimdall artifact <push FILE|list|activate VERSION|rollback> [options]

The artifact registry in the store. Gateways with artifact.registry: true serve the active version
and pick up a new one on their next reload (artifact.reload_seconds).

  push FILE            validate and store an artifact under its version (does not activate it)
  list                 stored versions, newest first; * marks the active one
  activate VERSION     serve VERSION from every replica's next reload
  rollback             undo the latest activation

Options:
  --config PATH        config file (for storage.url)
  --storage URL        sqlite:PATH or postgres://... (overrides the config)
  --note TEXT          for push: a note stored with the version
  --activate           for push: activate it right away
  --json               machine-readable output
`;

/** `heimdall artifact`. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      storage: { type: 'string' },
      note: { type: 'string' },
      activate: { type: 'boolean', default: false },
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
  if (!['push', 'list', 'activate', 'rollback'].includes(sub)) {
    process.stderr.write(`heimdall artifact: unknown subcommand "${sub}"\n\n${HELP}`);
    return 2;
  }
  if ((sub === 'push' || sub === 'activate') && arg === undefined) throw new GatewayError('caller_invalid_request', `artifact ${sub} needs ${sub === 'push' ? 'a FILE' : 'a VERSION'}`);
  const { store } = await openStoreFromArgs(values);
  try {
    if (sub === 'push') {
      const result = await pushArtifactFile(store, arg as string, values.note === undefined ? {} : { note: values.note });
      if (values.activate) await activateArtifact(store, result.version);
      if (values.json) process.stdout.write(`${JSON.stringify({ ...result, activated: values.activate })}\n`);
      else process.stdout.write(`${result.created ? 'pushed' : 'already stored'} ${result.version} (sha256 ${result.sha256.slice(0, 12)})${values.activate ? ', active' : ''}\n`);
    } else if (sub === 'list') {
      const list = await listArtifacts(store);
      if (values.json) process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      else if (list.length === 0) process.stdout.write('the registry is empty (heimdall artifact push FILE)\n');
      else for (const a of list) process.stdout.write(`${a.active ? '*' : ' '} ${a.version.padEnd(28)} ${new Date(a.pushedAt).toISOString()} ${String(a.sizeBytes).padStart(10)} B  ${a.note ?? ''}\n`);
    } else if (sub === 'activate') {
      await activateArtifact(store, arg as string);
      process.stdout.write(`active: ${arg as string}\n`);
    } else {
      process.stdout.write(`rolled back; active: ${await rollbackArtifact(store)}\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
