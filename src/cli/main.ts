import { CliError } from './common.js';
import { tuneHeapForService } from './heap.js';

type Command = { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> };

/** One file per command; each is loaded only when used, so `autoskill search` never loads express. */
const COMMANDS: Record<string, Command> = {
  import: { summary: 'import a folder of skills into the store', load: () => import('./commands/import.js') },
  search: { summary: 'search skills (hybrid BM25 + vectors)', load: () => import('./commands/search.js') },
  list: { summary: 'list skills', load: () => import('./commands/list.js') },
  show: { summary: 'print one skill (SKILL.md, versions)', load: () => import('./commands/show.js') },
  validate: { summary: 'check SKILL.md files against the Agent Skills spec', load: () => import('./commands/validate.js') },
  'normalize-ids': { summary: 'write deterministic ids into skills that lack one', load: () => import('./commands/normalize-ids.js') },
  export: { summary: 'export a skill as a folder, SKILL.md or zip', load: () => import('./commands/export.js') },
  migrate: { summary: 'copy a store (skills, history, files) between a folder and PostgreSQL', load: () => import('./commands/migrate.js') },
  extract: { summary: 'learn skills from a file of conversations (json/jsonl)', load: () => import('./commands/extract.js') },
  serve: { summary: 'run the OpenAI-compatible proxy and the management API', load: () => import('./commands/serve.js') },
  chat: { summary: 'chat in the terminal with skill injection and learning (slash commands)', load: () => import('./commands/chat.js') },
  mcp: { summary: 'run the MCP server over stdio (Claude Desktop, Claude Code, VS Code)', load: () => import('./commands/mcp.js') },
};

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
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    const { createRequire } = await import('node:module');
    const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };
    process.stdout.write(pkg.version + '\n');
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`autoskill: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  if (LONG_RUNNING.has(name)) tuneHeapForService();
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
