import { STORE_OPTION, defineCommand, type OptionSpecs } from './options.js';

/**
 * Every command's declaration in one light module: `autoskill --help` lists the summaries from
 * here without loading any command (so `autoskill search` never loads express), and each command
 * parses its argv and prints its --help from the same entry.
 */

/** OpenAI-compatible upstream flags (serve, chat, extract); the key itself never goes on a command line. */
export const UPSTREAM_OPTION_SPECS = {
  'upstream-base-url': { type: 'string', arg: 'URL', help: 'OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1 (env AUTOSKILL_UPSTREAM_BASE_URL; none = offline)' },
  'upstream-api-key-env': { type: 'string', arg: 'NAME', help: 'environment variable holding the upstream API key (default OPENAI_API_KEY)' },
  model: { type: 'string', arg: 'M', help: 'chat and extraction model (env AUTOSKILL_MODEL); without it learning uses the offline extractor' },
  'upstream-timeout-ms': { type: 'string', arg: 'N', help: 'timeout per upstream call in ms (default 120000)' },
} as const satisfies OptionSpecs;

/** Anthropic-compatible upstream of /v1/messages (serve), independent of the OpenAI one. */
export const ANTHROPIC_OPTION_SPECS = {
  'anthropic-base-url': { type: 'string', arg: 'URL', help: 'Anthropic-compatible upstream of /v1/messages, e.g. https://api.anthropic.com (env AUTOSKILL_ANTHROPIC_BASE_URL)' },
  'anthropic-api-key-env': { type: 'string', arg: 'NAME', help: 'environment variable holding its API key (default ANTHROPIC_API_KEY; unset = callers\' own credentials are forwarded)' },
} as const satisfies OptionSpecs;

const USER = { type: 'string', arg: 'U', help: 'user id whose skills are included (default $AUTOSKILL_USER or "default", the user of serve, chat and mcp)' } as const;
const SCOPE = { type: 'string', arg: 'all|user|common', default: 'all', help: 'which skills: the user\'s, Common, or both' } as const;
const JSON_OUT = { type: 'boolean', help: 'print JSON instead of text' } as const;
const REVIEW = { type: 'boolean', help: 'review mode: learned skills wait for approval (autoskill review / approve, the web page, the API or MCP) before they are ever injected' } as const;

export const SPECS = {
  import: defineCommand({
    name: 'import',
    args: '<dir>',
    summary: 'import a folder of skills into the store',
    details:
      'Imports every skill folder (a folder with a SKILL.md) found under <dir>, hidden folders included.\nExisting ids are kept; missing or unaddressable ones are derived deterministically from the path.\nA whole store tree (<dir> holds Users/ or Common/) keeps its owners: Users/<u> stay private to <u>,\nCommon/<library> stay in their library, and other top folders of libraries (ConvSkill/<set>/...)\nbecome the libraries <set>; --scope, --user and --library then do not apply.\nUnreadable files are reported, not dropped. Exits 1 when any item failed, after the summary.',
    options: {
      ...STORE_OPTION,
      scope: { type: 'string', arg: 'common|user', help: 'import as Common (shared, read-only) skills or as one user\'s skills (default common)' },
      user: { type: 'string', arg: 'U', help: 'owner of the skills with --scope user' },
      library: { type: 'string', arg: 'NAME', help: 'Common library name (default Common)' },
      'skip-hidden': { type: 'boolean', help: 'list hidden folders (e.g. .claude/skills) as skipped instead of importing them' },
      json: { type: 'boolean', help: 'print the counts and the per-item report as JSON' },
    },
  }),
  search: defineCommand({
    name: 'search',
    args: '"<query>"',
    summary: 'search skills (hybrid BM25 + vectors)',
    options: {
      ...STORE_OPTION,
      user: USER,
      scope: SCOPE,
      'top-k': { type: 'string', arg: 'N', help: 'number of results (default 5)' },
      'min-score': { type: 'string', arg: 'X', help: 'drop results scoring below X, 0..1 (default 0)' },
      tag: { type: 'string', arg: 'T', multiple: true, help: 'only skills with this tag' },
      json: { type: 'boolean', help: 'print the hits as JSON, with lexical and semantic scores' },
      render: { type: 'boolean', help: 'print the context block that would be injected into a prompt' },
    },
  }),
  list: defineCommand({
    name: 'list',
    args: '',
    summary: 'list skills',
    options: { ...STORE_OPTION, user: USER, scope: SCOPE, json: JSON_OUT },
  }),
  show: defineCommand({
    name: 'show',
    args: '<id|slug>',
    summary: 'print one skill (SKILL.md, versions)',
    details: 'The skill may be named by its id, its folder name (slug) or its exact name.',
    options: {
      ...STORE_OPTION,
      user: { type: 'string', arg: 'U', help: 'prefer this user\'s skill when a slug is shared' },
      versions: { type: 'boolean', help: 'list the saved versions (* marks the current one)' },
      version: { type: 'string', arg: 'V', help: 'print the SKILL.md of version V' },
      diff: { type: 'string', arg: 'FROM..TO', help: 'print a unified diff between two versions, e.g. 0.1.0..0.1.1' },
      json: { type: 'boolean', help: 'print the skill (or the version list) as JSON' },
    },
  }),
  validate: defineCommand({
    name: 'validate',
    args: '[dir|SKILL.md]',
    summary: 'check SKILL.md files against the Agent Skills spec',
    details:
      'Checks every SKILL.md under the path (default: the current folder) with the rules of the agentskills\nreference validator (skills-ref): Unicode lowercase names that match their folder, the six allowed\ntop-level fields, description and compatibility lengths, strict YAML. Upstream AutoSkill keys at the top\nlevel (id, version, tags, triggers) are warnings, fixed by `autoskill normalize`. Prints each problem,\nthen a summary per rule. Exits 1 only when a file has an error.',
    options: {
      json: JSON_OUT,
      quiet: { type: 'boolean', help: 'print only errors and the summary (no warnings)' },
      reference: { type: 'boolean', help: 'exactly the reference validator\'s verdict: upstream-dialect keys are errors too' },
    },
  }),
  normalize: defineCommand({
    name: 'normalize',
    args: '[dir|SKILL.md]',
    summary: 'rewrite upstream-dialect SKILL.md files in the spec dialect (the fix validate names)',
    details:
      'Rewrites in place every SKILL.md under the path whose top level has upstream AutoSkill keys (id,\nversion, tags, triggers, examples, ...): they move under metadata or into body sections, and name becomes\nthe folder name when that is a valid name. Other files are left byte for byte.',
    options: {
      'dry-run': { type: 'boolean', help: 'list the files that would be rewritten, write nothing' },
    },
  }),
  'normalize-ids': defineCommand({
    name: 'normalize-ids',
    args: '',
    summary: 'write deterministic ids into skills that lack one',
    options: { ...STORE_OPTION },
  }),
  export: defineCommand({
    name: 'export',
    args: '<id|slug>',
    summary: 'export a skill as a folder, SKILL.md or zip',
    details:
      'Without --to, md prints SKILL.md to stdout; dir and zip need --to. With --format dir, --to is the\nparent folder: the skill is written to <to>/<slug>/, so the folder name always matches the\nskill name, as the Agent Skills spec requires.',
    options: {
      ...STORE_OPTION,
      user: { type: 'string', arg: 'U', help: 'prefer this user\'s skill when a slug is shared' },
      format: { type: 'string', arg: 'dir|md|zip', default: 'md', help: 'what to write' },
      to: { type: 'string', arg: 'PATH', help: 'md/zip: the file to write; dir: the parent folder' },
      spec: { type: 'boolean', help: 'convert to a folder every Agent Skills host accepts: a valid name (a Chinese name stays Chinese), upstream keys under metadata, files kept' },
      'ascii-names': { type: 'boolean', help: 'with --spec (implied): a name in a-z, 0-9 and "-" only, Chinese as pinyin (10-ni-shi-yi-ge-...)' },
    },
  }),
  sync: defineCommand({
    name: 'sync',
    args: '',
    summary: 'mirror a user\'s skills into a host\'s skills folder (.claude/skills, .agents/skills, ...)',
    details:
      'One-way: writes each skill as a spec-valid folder (as export --spec) and keeps a manifest,\n.autoskill-sync.json, with a sha256 per file. Files edited there are never overwritten and folders\nnot in the manifest are never touched; folders of deleted skills are removed only when unedited.\nAgents: claude-code, codex, copilot, goose, openclaw, cursor, gemini-cli, opencode, agents.\nExit codes: 0 in sync, 3 done but with conflicts (edited files left alone, listed), 1 error, 2 usage.',
    options: {
      ...STORE_OPTION,
      to: { type: 'string', arg: 'DIR', help: 'the skills folder; with --agent, the project root (--to . --agent claude-code = ./.claude/skills)' },
      agent: { type: 'string', arg: 'NAME', help: 'the host whose folder convention to use (see above)' },
      global: { type: 'boolean', help: 'with --agent: the agent\'s user-level folder (e.g. ~/.claude/skills) instead of --to' },
      user: { type: 'string', arg: 'U', help: 'whose skills (default $AUTOSKILL_USER, else "default", as serve and mcp)' },
      'with-common': { type: 'boolean', help: 'also mirror the Common (shared library) skills' },
      'dry-run': { type: 'boolean', help: 'print what would change and write nothing' },
      'ascii-names': { type: 'boolean', help: 'folder names in a-z, 0-9 and "-" only, Chinese as pinyin (default with --agent claude-code)' },
      'unicode-names': { type: 'boolean', help: 'keep names in their own script (10-你是一个有着-...) even where ASCII is the default' },
      json: { type: 'boolean', help: 'print the report as JSON' },
    },
  }),
  migrate: defineCommand({
    name: 'migrate',
    args: '',
    summary: 'copy a store (skills, history, files) between a folder and PostgreSQL',
    details:
      'Copies every skill, its full version history and its resource files from one store to another.\nThe target should be empty; the source is only read.',
    options: {
      from: { type: 'string', arg: 'DIR|URL', help: 'source store: a folder or a postgres:// URL' },
      to: { type: 'string', arg: 'DIR|URL', help: 'target store: a folder or a postgres:// URL' },
      json: { type: 'boolean', help: 'print the copy report as JSON' },
    },
  }),
  extract: defineCommand({
    name: 'extract',
    args: '',
    summary: 'learn skills from a file of conversations (json/jsonl)',
    details:
      'Runs OpenAI-format conversations (a JSON array, or one conversation per JSON line, each with\n"messages": [{role, content}, ...]) through the learning pipeline: extraction, then add / merge /\ndiscard into the user\'s skills. Without --model and an upstream, the offline extractor is used.',
    options: {
      ...STORE_OPTION,
      ...UPSTREAM_OPTION_SPECS,
      from: { type: 'string', arg: 'FILE', help: 'the conversations: a .json array or a .jsonl file' },
      user: { type: 'string', arg: 'U', help: 'the user who learns the skills (required)' },
      hint: { type: 'string', arg: 'TEXT', help: 'a hint passed to the extractor for every conversation' },
      'max-messages': { type: 'string', arg: 'N', help: 'use only the last N messages of each conversation (default all)' },
      json: { type: 'boolean', help: 'print the summary as JSON' },
    },
  }),
  serve: defineCommand({
    name: 'serve',
    args: '',
    summary: 'run the OpenAI-compatible proxy and the management API',
    details:
      'Starts the proxy (/v1/chat/completions, /v1/responses, /v1/embeddings, /v1/models; /v1/messages with\nan Anthropic upstream), the management API (/v1/autoskill/*) and the web page. Prints "autoskill\nlistening on <url>" once ready. Offline (no upstream): the API, retrieval preview and extraction\nwork; chat completions and responses answer 503 (and /v1/messages without --anthropic-base-url).',
    options: {
      port: { type: 'string', arg: 'N', help: 'port, 0 = any free port (default 9000)' },
      host: { type: 'string', arg: 'H', help: 'interface to listen on (default 127.0.0.1)' },
      ...STORE_OPTION,
      ...UPSTREAM_OPTION_SPECS,
      ...ANTHROPIC_OPTION_SPECS,
      'api-keys': { type: 'string', arg: 'FILE', help: 'JSON {"<key>": {"user": "u1", "admin": false}}, keys of 16+ characters; without it the caller\'s user id is trusted' },
      'default-user': { type: 'string', arg: 'U', help: 'trusted mode: the user when a request names none (default $AUTOSKILL_USER or "default")' },
      'trusted-admin': { type: 'boolean', help: 'trusted mode: callers may also write Common skills' },
      cors: { type: 'string', arg: 'ORIGIN', multiple: true, help: 'allow this browser origin ("*" for any; default off)' },
      'allowed-hosts': { type: 'string', arg: 'H[,H]', multiple: true, help: 'Host names accepted besides loopback ("*" for any); others get 403 without --api-keys (DNS rebinding)' },
      'allowed-origins': { type: 'string', arg: 'O[,O]', multiple: true, help: 'browser origins accepted besides loopback and same-origin pages ("*" for any); --cors origins count too' },
      'insecure-no-auth': { type: 'boolean', help: 'allow a non-loopback --host without --api-keys (anyone who reaches the port acts as any user)' },
      'body-limit': { type: 'string', arg: 'SIZE', help: 'largest JSON body (default 10mb)' },
      'shutdown-timeout-ms': { type: 'string', arg: 'N', help: 'time for in-flight requests to finish on SIGTERM (default 10000)' },
      workers: { type: 'string', arg: 'N|auto', help: 'processes serving the port (cluster; "auto" = one per core; default 1: MCP sessions and job event streams are per process)' },
      'sync-to': { type: 'string', arg: 'DIR', help: 'keep this skills folder in sync with the store while serving (as autoskill sync; with --sync-agent, DIR is the project root)' },
      'sync-agent': { type: 'string', arg: 'NAME', help: 'host folder convention for --sync-to: claude-code, codex, copilot, goose, ...' },
      'sync-user': { type: 'string', arg: 'U', help: 'whose skills --sync-to mirrors (default: the default user)' },
      'sync-with-common': { type: 'boolean', help: '--sync-to also mirrors the Common skills' },
      review: REVIEW,
    },
  }),
  chat: defineCommand({
    name: 'chat',
    args: '',
    summary: 'chat in the terminal with skill injection and learning (slash commands)',
    details:
      'Skills are retrieved and injected into each turn, the answer streams from the upstream model, and\nthe turn is learned from in the background. Type /help inside for the slash commands. Offline, messages\nget no answer, but slash commands work and learning runs with the offline extractor.',
    options: {
      ...STORE_OPTION,
      user: { type: 'string', arg: 'U', help: 'your user id (default $AUTOSKILL_USER or "default")' },
      ...UPSTREAM_OPTION_SPECS,
      scope: { type: 'string', arg: 'user|common|all', help: 'skills to retrieve (default all)' },
      'top-k': { type: 'string', arg: 'N', help: 'skills injected at most (default 3)' },
      'min-score': { type: 'string', arg: 'X', help: 'retrieval threshold 0..1 (default: the engine\'s)' },
      extract: { type: 'string', arg: 'auto|always|never', help: 'when to learn (default auto)' },
      'extract-every': { type: 'string', arg: 'N', help: 'auto mode: learn every N turns (default 1)' },
      review: REVIEW,
    },
  }),
  mcp: defineCommand({
    name: 'mcp',
    args: '',
    summary: 'run the MCP server over stdio (Claude Desktop, Claude Code, VS Code)',
    details: 'stdout carries the MCP protocol; logs go to stderr.',
    options: {
      ...STORE_OPTION,
      user: { type: 'string', arg: 'U', help: 'the user whose skills are served and learned (default $AUTOSKILL_USER or "default")' },
      admin: { type: 'boolean', help: 'allow editing Common skills' },
      review: REVIEW,
    },
  }),
  review: defineCommand({
    name: 'review',
    args: '',
    summary: 'list learned skills held for review (never injected until approved)',
    details:
      'A learned skill is held when the poisoning scan flagged it (instruction overrides, links, requests to\nrun tools), or when serve, chat or mcp run with --review. Approve one with `autoskill approve <id|slug>`;\nreject one with `autoskill reject <id|slug>`.',
    options: {
      ...STORE_OPTION,
      user: { type: 'string', arg: 'U', help: 'whose held skills (default $AUTOSKILL_USER or "default", the user of serve, chat and mcp)' },
      json: { type: 'boolean', help: 'print the held skills (with the reason each was held) as JSON' },
    },
  }),
  approve: defineCommand({
    name: 'approve',
    args: '<id|slug>',
    summary: 'approve a learned skill held for review: it goes live as a new version',
    details: 'The skill may be named by its id, its folder name (slug) or its exact name (see autoskill review).',
    options: {
      ...STORE_OPTION,
      user: { type: 'string', arg: 'U', help: 'the owner of the skill (default $AUTOSKILL_USER or "default")' },
    },
  }),
  reject: defineCommand({
    name: 'reject',
    args: '<id|slug>',
    summary: 'reject a learned skill held for review: it is deleted (a live skill is refused)',
    options: {
      ...STORE_OPTION,
      user: { type: 'string', arg: 'U', help: 'the owner of the skill (default $AUTOSKILL_USER or "default")' },
    },
  }),
  version: defineCommand({
    name: 'version',
    args: '',
    summary: 'print the autoskill version',
    options: {},
  }),
} as const;

export type CommandName = keyof typeof SPECS;
