/**
 * Slash commands of `autoskill chat`: parsing only (pure). A leading `/` (or the full-width `／`
 * an IME produces) marks a command; a few bare words work when they are the whole line.
 */

export const COMMAND_NAMES = [
  'help',
  'exit',
  'quit',
  'clear',
  'skills',
  'search',
  'export',
  'scope',
  'extract',
  'extract_every',
  'extract_now',
  'review',
  'approve',
  'reject',
] as const;

export type CommandName = (typeof COMMAND_NAMES)[number];

export type ParsedLine = { kind: 'empty' } | { kind: 'chat'; text: string } | { kind: 'command'; name: CommandName; arg: string } | { kind: 'unknown'; name: string };

const BARE = new Set(['help', 'exit', 'quit', 'skills', 'clear']);

export function parseLine(line: string): ParsedLine {
  const text = line.trim();
  if (!text) return { kind: 'empty' };
  const lower = text.toLowerCase();
  if (BARE.has(lower)) return { kind: 'command', name: lower as CommandName, arg: '' };
  if (/^extract_now(\s|$)/i.test(text)) return { kind: 'command', name: 'extract_now', arg: text.slice('extract_now'.length).trim() };
  if (!text.startsWith('/') && !text.startsWith('／')) return { kind: 'chat', text };
  const body = text.slice(1);
  const space = body.search(/\s/);
  const name = (space < 0 ? body : body.slice(0, space)).toLowerCase();
  const arg = space < 0 ? '' : body.slice(space).trim();
  if ((COMMAND_NAMES as readonly string[]).includes(name)) return { kind: 'command', name: name as CommandName, arg };
  return { kind: 'unknown', name };
}

export const CHAT_HELP = `Commands:
  /help                     this list
  /skills                   your skills (id | version | name)
  /search <query>           search skills with the current scope
  /export <id>              print a skill's SKILL.md
  /scope user|common|all    which skills are retrieved
  /extract auto|always|never  when to learn from the conversation
  /extract_every <n>        auto mode: learn every n turns
  /extract_now [hint]       learn from this conversation now (hint: what to remember)
  /review                   your learned skills held for review (never injected until approved)
  /approve <id>             approve a held skill: it goes live
  /reject <id>              reject a held skill: it is deleted
  /clear                    start a new conversation
  /exit                     leave (also Ctrl-D; Ctrl-C stops an answer, twice leaves)`;
