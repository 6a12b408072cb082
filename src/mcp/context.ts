import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { isLibraryOwner, type Actor, type AutoSkill, type Logger, type Skill } from '../engine/index.js';

/** What every MCP handler receives from the SDK next to its arguments. */
export type McpExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** Finds the user behind one MCP request (e.g. from `extra.authInfo`); undefined = not allowed. */
export type ActorResolver = (extra: McpExtra) => Actor | undefined | Promise<Actor | undefined>;

/** Shared by the tool, resource and prompt registrations of one server. */
export interface McpContext {
  sdk: AutoSkill;
  logger: Logger;
  /** set when the server serves one fixed user (stdio, or one HTTP session) */
  fixedActor?: Actor;
  actorFor(extra: McpExtra): Promise<Actor>;
  /** upper bound for `extract_now` with `wait` */
  maxWaitMs: number;
  /** cap on entries returned by resources/list */
  maxListedResources: number;
}

export class UnauthenticatedError extends Error {
  constructor() {
    super('no user for this MCP request (unauthenticated)');
    this.name = 'UnauthenticatedError';
  }
}

export function makeActorFor(fixed: Actor | undefined, resolver: ActorResolver | undefined): (extra: McpExtra) => Promise<Actor> {
  return async (extra) => {
    const actor = resolver ? await resolver(extra) : fixed;
    if (!actor || !actor.userId) throw new UnauthenticatedError();
    return actor;
  };
}

/** The skills an actor may read, own first, each group by name (Common can be thousands). */
export function visibleSkills(sdk: AutoSkill, actor: Actor, scope: 'user' | 'common' | 'all' = 'all'): Skill[] {
  const skills = sdk.list({ userId: actor.userId, scope });
  const own = skills.filter((s) => !isLibraryOwner(s.owner));
  const common = skills.filter((s) => isLibraryOwner(s.owner));
  return [...own, ...common];
}

/**
 * Find a skill by id, or (for people typing a prompt argument) by exact slug or name among the
 * skills the actor can read, preferring their own.
 */
export function resolveSkillRef(sdk: AutoSkill, actor: Actor, ref: string): Skill | undefined {
  const key = ref.trim();
  if (!key) return undefined;
  const byId = sdk.get(key, actor);
  if (byId) return byId;
  const lower = key.toLowerCase();
  return visibleSkills(sdk, actor).find((s) => s.slug === lower || s.name.toLowerCase() === lower);
}

/**
 * The SKILL.md as stored (imports keep their files byte for byte), falling back to the rendered
 * form for stores that do not expose the file. Throws not_found for unreadable skills.
 */
export async function skillMdText(sdk: AutoSkill, id: string, actor: Actor): Promise<string> {
  return sdk.storedSkillMd(id, actor);
}
