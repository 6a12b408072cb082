import { createRequire } from 'node:module';
import { CliError } from './common.js';
import { helpText, parseCommand } from './options.js';
import { SPECS, type CommandName } from './specs.js';
import { tuneHeapForService } from './heap.js';
import { onStoreLoaded } from '../engine/index.js';

type Command = { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> };

const versionCommand = { run: async (argv: string[]) => {
  const { values } = parseCommand(SPECS.version, argv);
  process.stdout.write((values.help ? helpText(SPECS.version) : packageVersion()) + '\n');
  return 0;
} };

/** One file per command; each is loaded only when used, so `autoskill search` never loads express. Summaries come from specs.ts. */
const LOADERS: Record<CommandName, Command['load']> = {
  import: () => import('./commands/import.js'),
  search: () => import('./commands/search.js'),
  list: () => import('./commands/list.js'),
  show: () => import('./commands/show.js'),
  validate: () => import('./commands/validate.js'),
  normalize: () => import('./commands/normalize.js'),
  'normalize-ids': () => import('./commands/normalize-ids.js'),
  export: () => import('./commands/export.js'),
  sync: () => import('./commands/sync.js'),
  migrate: () => import('./commands/migrate.js'),
  extract: () => import('./commands/extract.js'),
  serve: () => import('./commands/serve.js'),
  chat: () => import('./commands/chat.js'),
  mcp: () => import('./commands/mcp.js'),
  review: () => import('./commands/review.js'),
  approve: () => import('./commands/approve.js'),
  reject: () => import('./commands/reject.js'),
  version: async () => versionCommand,
};

const COMMANDS: Record<string, Command> = Object.fromEntries(
  (Object.keys(LOADERS) as CommandName[]).map((name) => [name, { summary: SPECS[name].summary, load: LOADERS[name] }]),
);

function packageVersion(): string {
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}

/** Commands that keep running and serving; see heap.ts. */
const LONG_RUNNING = new Set(['serve', 'mcp', 'chat']);

export function registerCommand(name: string, command: Command): void {
  COMMANDS[name] = command;
}

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    'autoskill: experience-driven skill learning for AI agents',
    '',
    'usage: autoskill <command> [options]   (autoskill <command> --help for details)',
    '',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || (name === 'help' && !rest[0])) {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(packageVersion() + '\n');
    return 0;
  }
  // `autoskill help <command>` is `autoskill <command> --help`.
  if (name === 'help' && rest[0]) return main([rest[0], '--help']);
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`autoskill: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  if (LONG_RUNNING.has(name)) tuneHeapForService(process.env, onStoreLoaded);
  try {
    const mod = await command.load();
    return await mod.run(rest);
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`autoskill ${name}: ${err.message}\n`);
      return err.exitCode;
    }
    const e = err as Error & { code?: string };
    process.stderr.write(`autoskill ${name}: ${e.message ?? String(err)}\n`);
    if (process.env.AUTOSKILL_DEBUG) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
}
