import os from 'node:os';
import path from 'node:path';

/**
 * Where each host reads Agent Skills from, per project (relative to the project root) and per user
 * (global). Sources, checked 2026: Claude Code docs (.claude/skills, ~/.claude/skills or
 * $CLAUDE_CONFIG_DIR/skills); GitHub Copilot docs (.github/skills, also .claude/skills and
 * .agents/skills; ~/.copilot/skills); Goose docs (.goose/skills and .agents/skills,
 * ~/.config/goose/skills); Codex and Gemini CLI/OpenCode read the portable .agents/skills
 * ($CODEX_HOME/skills for Codex's user folder); OpenClaw reads <workspace>/skills and
 * ~/.openclaw/skills; Cursor .cursor/skills. The same table is used by the `skills` CLI.
 */

export interface AgentPreset {
  label: string;
  /** folder under a project root */
  project: string;
  /** the user-level folder */
  global: (env: NodeJS.ProcessEnv, home: string) => string;
  /**
   * Mirror with ASCII folder names by default (`--unicode-names` overrides): Anthropic documents a
   * skill `name` as lowercase letters, digits and hyphens, and the `skills` installer strips every
   * other character from a folder name (`10-你是一个有着` → `10`). See docs/host-folders.md.
   */
  asciiNames?: boolean;
}

const xdg = (env: NodeJS.ProcessEnv, home: string): string => env.XDG_CONFIG_HOME?.trim() || path.join(home, '.config');

export const AGENTS: Record<string, AgentPreset> = {
  'claude-code': { label: 'Claude Code', project: '.claude/skills', global: (env, home) => path.join(env.CLAUDE_CONFIG_DIR?.trim() || path.join(home, '.claude'), 'skills'), asciiNames: true },
  codex: { label: 'Codex', project: '.agents/skills', global: (env, home) => path.join(env.CODEX_HOME?.trim() || path.join(home, '.codex'), 'skills') },
  copilot: { label: 'GitHub Copilot', project: '.github/skills', global: (_env, home) => path.join(home, '.copilot', 'skills') },
  goose: { label: 'Goose', project: '.goose/skills', global: (env, home) => path.join(xdg(env, home), 'goose', 'skills') },
  openclaw: { label: 'OpenClaw', project: 'skills', global: (_env, home) => path.join(home, '.openclaw', 'skills') },
  cursor: { label: 'Cursor', project: '.cursor/skills', global: (_env, home) => path.join(home, '.cursor', 'skills') },
  'gemini-cli': { label: 'Gemini CLI', project: '.agents/skills', global: (_env, home) => path.join(home, '.gemini', 'skills') },
  opencode: { label: 'OpenCode', project: '.agents/skills', global: (env, home) => path.join(xdg(env, home), 'opencode', 'skills') },
  /** the portable folder several hosts share */
  agents: { label: 'any .agents/skills host', project: '.agents/skills', global: (env, home) => path.join(xdg(env, home), 'agents', 'skills') },
};

/** Other spellings people use for the same hosts. */
const ALIASES: Record<string, string> = { claude: 'claude-code', 'github-copilot': 'copilot', gemini: 'gemini-cli' };

export function agentPreset(name: string): AgentPreset | undefined {
  const key = name.trim().toLowerCase();
  return AGENTS[ALIASES[key] ?? key];
}

export const AGENT_NAMES = Object.keys(AGENTS);

/** Whether a mirror gets ASCII names: the flags when given, else the agent's default. */
export function syncAsciiNames(opts: { agent?: string | undefined; ascii?: boolean | undefined; unicode?: boolean | undefined }): boolean {
  if (opts.ascii && opts.unicode) throw new Error('--ascii-names and --unicode-names cannot be used together');
  if (opts.ascii) return true;
  if (opts.unicode) return false;
  return (opts.agent !== undefined && agentPreset(opts.agent)?.asciiNames) ?? false;
}

/**
 * The skills folder to mirror into. Without an agent, `to` is that folder. With one, `to` is the
 * project root (the preset's subfolder is added: `--to . --agent claude-code` → ./.claude/skills),
 * or, with `global`, the agent's user-level folder is used and `to` must be absent.
 */
export function resolveSyncDir(opts: { to?: string; agent?: string; global?: boolean }, env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string {
  const preset = opts.agent === undefined ? undefined : agentPreset(opts.agent);
  if (opts.agent !== undefined && !preset) throw new Error(`unknown agent "${opts.agent}"; known: ${AGENT_NAMES.join(', ')}`);
  if (opts.global) {
    if (!preset) throw new Error('--global needs --agent (whose user-level skills folder to use)');
    if (opts.to !== undefined) throw new Error('--global and --to cannot be used together');
    return preset.global(env, home);
  }
  if (opts.to === undefined) throw new Error('--to DIR is required (the skills folder, or the project root with --agent)');
  return preset ? path.join(opts.to, preset.project) : opts.to;
}
