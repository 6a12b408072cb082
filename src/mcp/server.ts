import { createRequire } from 'node:module';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Actor, AutoSkill, Logger } from '../engine/index.js';
import { makeActorFor, type ActorResolver, type McpContext } from './context.js';
import { registerPrompts } from './prompts.js';
import { registerResources } from './resources.js';
import { registerSkillsExtension } from './skills-extension.js';
import { registerTools } from './tools.js';

export interface AutoskillMcpServerOptions {
  sdk: AutoSkill;
  /** the user this server acts for (stdio: from --user / AUTOSKILL_USER) */
  userId?: string;
  /** the same with admin rights (may edit Common skills); wins over `userId` */
  actor?: Actor;
  /**
   * Per-request user, e.g. from `extra.authInfo` when one server serves many users. Wins over
   * `actor`/`userId`. Without a fixed user, change notifications cannot be filtered per user and
   * completions suggest nothing.
   */
  getActor?: ActorResolver;
  /** server name reported to clients (default "autoskill") */
  name?: string;
  /** upper bound for extract_now with wait=true (default 30 s) */
  maxWaitMs?: number;
  /** most entries resources/list returns (default 1000) */
  maxListedResources?: number;
  /** coalesce bursts of store changes into one list_changed notification (default 100 ms) */
  notifyDebounceMs?: number;
  /** MCP Skills extension: entries per skills/list page (default 50) */
  skillsPageSize?: number;
  /** MCP Skills extension: ttlMs of listings and entries (default 60 s) */
  skillsTtlMs?: number;
  logger?: Logger;
}

const INSTRUCTIONS = `autoskill keeps "skills": the user's durable preferences and working rules learned from earlier conversations, plus shared how-to guides (Common skills).
- At the start of a task, call search_skills with a short description of the task and follow the instructions of the skills it returns.
- When the user states a rule or preference that should hold in future conversations (e.g. "always cite sources", "don't use markdown"), call extract_now with the recent messages so it is learned.
- Skills are also readable as resources (skill://user/<id>/SKILL.md, skill://common/<id>/SKILL.md; hosts with the MCP Skills extension get versioned URIs from skills/list) and can be edited with get_skill + save_skill, restored with rollback_skill and removed with delete_skill. Common skills are read-only.`;

function packageVersion(): string {
  try {
    return (createRequire(import.meta.url)('../../package.json') as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * An MCP server on the SDK facade: tools (search_skills, extract_now, get/list/save/rollback/
 * delete_skill), skill resources, the use_skill prompt and the MCP Skills extension (skills/list,
 * skills/get, resources/directory/read; see skills-extension.ts). One server instance serves one client
 * connection; connect it to any transport (stdio, Streamable HTTP via `mcpHttpHandler`, in-memory).
 *
 * It keeps a store subscription, released when the connection closes; close the server (or its
 * transport) when done.
 */
export function createAutoskillMcpServer(options: AutoskillMcpServerOptions): McpServer {
  const { sdk } = options;
  const logger = options.logger ?? sdk.logger;
  const fixedActor = options.actor ?? (options.userId ? { userId: options.userId } : undefined);
  if (!fixedActor && !options.getActor) throw new TypeError('createAutoskillMcpServer needs userId, actor or getActor');
  const ctx: McpContext = {
    sdk,
    logger,
    ...(options.getActor ? {} : { fixedActor }),
    actorFor: makeActorFor(fixedActor, options.getActor),
    maxWaitMs: Math.max(1000, options.maxWaitMs ?? 30_000),
    maxListedResources: Math.max(1, options.maxListedResources ?? 1000),
  };

  const server = new McpServer(
    { name: options.name ?? 'autoskill', version: packageVersion(), title: 'autoskill' },
    { instructions: INSTRUCTIONS, capabilities: { logging: {} } },
  );
  // Everything is registered before connect(): the SDK fixes capabilities at that point.
  registerTools(server, ctx);
  registerResources(server, ctx);
  registerPrompts(server, ctx);
  registerSkillsExtension(server, ctx, {
    pageSize: Math.max(1, options.skillsPageSize ?? 50),
    ttlMs: Math.max(0, options.skillsTtlMs ?? 60_000),
  });

  const stop = notifyOnChanges(server, sdk, ctx.fixedActor, options.notifyDebounceMs ?? 100);
  const previous = server.server.onclose;
  server.server.onclose = () => {
    stop();
    previous?.();
  };
  return server;
}

/**
 * Send notifications/resources/list_changed when skills are learned, edited or deleted. Bursts
 * (an import, a merge touching several skills) collapse into one notification.
 */
function notifyOnChanges(server: McpServer, sdk: AutoSkill, actor: Actor | undefined, debounceMs: number): () => void {
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    // A no-op when not connected; a failed send must not take the store listener down.
    try {
      server.sendResourceListChanged();
    } catch (err) {
      sdk.logger.debug('list_changed not sent', { error: String(err) });
    }
  };
  // Only changes this user can see (their own skills and Common; access.ts): others' are none of their business.
  const unsubscribe = sdk.skills.onChange(actor, () => {
    if (timer) return;
    timer = setTimeout(flush, debounceMs);
    timer.unref();
  });
  return () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    unsubscribe();
  };
}
