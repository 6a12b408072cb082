import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError, type Resource, type ServerResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { isLibraryOwner, type Actor, type Skill } from '../engine/index.js';
import type { McpContext, McpExtra } from './context.js';
import { visibleSkills } from './context.js';
import { protocolError } from './errors.js';
import { mimeTypeOf } from './mime.js';
import { entryOf, snapshotsOf, type SkillSnapshot } from './skill-snapshot.js';
import { parseVersionedSkillUri, uriScopeOf, versionedFileUri, type VersionedSkillUri } from './uri.js';

/**
 * The MCP Skills extension (SEP-2640, `io.modelcontextprotocol/skills`): skills/list, skills/get
 * and resources/directory/read over the snapshots of skill-snapshot.ts. The tools stay for hosts
 * without the extension (most of them today).
 *
 * The SDK (1.x) negotiates protocol revisions up to 2025-11-25, while the extension is written
 * against 2026-07-28, where results carry `resultType`, `ttlMs` and `cacheScope`. They are sent
 * on every revision: `cacheScope: "private"` is what keeps a shared host cache from handing one
 * user's learned skills to another, and that matters whatever the revision.
 */

export const SKILLS_EXTENSION = 'io.modelcontextprotocol/skills';
const DIRECTORY = 'inode/directory';

export interface SkillsExtensionOptions {
  /** entries per skills/list page (default 50) */
  pageSize: number;
  /** freshness hint for listings and entries (default 60 s; changes are also notified) */
  ttlMs: number;
}

const Params = z.looseObject({ _meta: z.unknown().optional() });
const ListRequest = z.object({ method: z.literal('skills/list'), params: Params.extend({ cursor: z.string().optional() }).optional() });
const GetRequest = z.object({ method: z.literal('skills/get'), params: Params.extend({ uri: z.string() }) });
const DirRequest = z.object({ method: z.literal('resources/directory/read'), params: Params.extend({ uri: z.string(), cursor: z.string().optional() }) });

const invalid = (message: string) => new McpError(ErrorCode.InvalidParams, message);

/** Listing order: own skills, then Common; each by folder name, then id (a stable keyset for cursors). */
interface Key {
  g: 0 | 1;
  s: string;
  i: string;
}
const keyOf = (s: Skill): Key => ({ g: isLibraryOwner(s.owner) ? 1 : 0, s: s.slug, i: s.id });
function compare(a: Key, b: Key): number {
  return a.g - b.g || (a.s < b.s ? -1 : a.s > b.s ? 1 : 0) || (a.i < b.i ? -1 : a.i > b.i ? 1 : 0);
}
const CursorSchema = z.object({ g: z.union([z.literal(0), z.literal(1)]), s: z.string(), i: z.string() });
const encodeCursor = (k: Key) => Buffer.from(JSON.stringify(k)).toString('base64url');
function decodeCursor(cursor: string): Key {
  try {
    return CursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw invalid('invalid cursor');
  }
}

/**
 * The snapshot a versioned skill:// URI points into, if this caller may read that skill (another
 * user's skill is "not served", exactly like one that does not exist).
 */
export async function resolveVersioned(ctx: McpContext, actor: Actor, uri: VersionedSkillUri): Promise<SkillSnapshot | undefined> {
  const skill = ctx.sdk.get(uri.id, actor);
  if (!skill || uriScopeOf(skill.owner) !== uri.scope) return undefined;
  const snap = await snapshotsOf(ctx.sdk).get(skill, uri.version);
  return snap && snap.name === uri.name ? snap : undefined;
}

function cacheScopeOf(owners: string[]): 'private' | 'public' {
  return owners.some((o) => !isLibraryOwner(o)) ? 'private' : 'public';
}

export function registerSkillsExtension(server: McpServer, ctx: McpContext, opts: SkillsExtensionOptions): void {
  // Capabilities are fixed at connect(); the extension needs the resources capability, which the
  // skill resource templates declare.
  server.server.registerCapabilities({ extensions: { [SKILLS_EXTENSION]: { directoryRead: true } } });
  const handle = <T>(fn: (actor: Actor) => Promise<T>) => async (extra: McpExtra) => {
    try {
      return (await fn(await ctx.actorFor(extra))) as unknown as ServerResult;
    } catch (err) {
      throw protocolError(err, ctx.logger, ErrorCode.InvalidParams);
    }
  };

  server.server.setRequestHandler(ListRequest, (req, extra) =>
    handle(async (actor) => {
      const after = req.params?.cursor ? decodeCursor(req.params.cursor) : undefined;
      const all = visibleSkills(ctx.sdk, actor)
        .map((s) => ({ s, k: keyOf(s) }))
        .filter((x) => !after || compare(x.k, after) > 0)
        .sort((a, b) => compare(a.k, b.k));
      const skills = [];
      let last: Key | undefined;
      let i = 0;
      for (; i < all.length && skills.length < opts.pageSize; i++) {
        const snap = await snapshotsOf(ctx.sdk).get(all[i]!.s);
        last = all[i]!.k;
        if (snap) skills.push(entryOf(snap));
      }
      // The listing is tailored to the user as soon as it holds any skill of theirs.
      const own = visibleSkills(ctx.sdk, actor, 'user').map((s) => s.owner);
      return {
        resultType: 'complete',
        skills,
        ...(i < all.length && last ? { nextCursor: encodeCursor(last) } : {}),
        ttlMs: opts.ttlMs,
        cacheScope: cacheScopeOf(own),
      };
    })(extra),
  );

  server.server.setRequestHandler(GetRequest, (req, extra) =>
    handle(async (actor) => {
      const parsed = parseVersionedSkillUri(req.params.uri);
      const snap = parsed && parsed.path === 'SKILL.md' ? await resolveVersioned(ctx, actor, parsed) : undefined;
      if (!snap) throw invalid(`no skill is served at ${req.params.uri}`);
      return { resultType: 'complete', skill: entryOf(snap), ttlMs: opts.ttlMs, cacheScope: snap.scope === 'user' ? 'private' : 'public' };
    })(extra),
  );

  server.server.setRequestHandler(DirRequest, (req, extra) =>
    handle(async (actor) => {
      const parsed = parseVersionedSkillUri(req.params.uri);
      const snap = parsed ? await resolveVersioned(ctx, actor, parsed) : undefined;
      if (!snap || !parsed) throw invalid(`no directory is served at ${req.params.uri}`);
      // Everything fits one page; a cursor can only come from a confused client.
      if (req.params.cursor !== undefined) throw invalid('invalid cursor');
      const resources = directoryChildren(snap, parsed.path);
      if (!resources) throw invalid(`${req.params.uri} is not a directory resource`);
      return { resultType: 'complete', resources };
    })(extra),
  );
}

/** Direct children of a directory of the snapshot ('' = the skill root); undefined when `dir` is not one. */
export function directoryChildren(snap: SkillSnapshot, dir: string): Resource[] | undefined {
  const prefix = dir ? `${dir}/` : '';
  const files: Resource[] = [];
  const dirs = new Map<string, Resource>();
  for (const [path, f] of snap.files) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash < 0) {
      files.push({ uri: versionedFileUri(snap, path), name: rest, mimeType: mimeTypeOf(rest), size: f.bytes.byteLength });
    } else {
      const child = rest.slice(0, slash);
      if (!dirs.has(child)) dirs.set(child, { uri: versionedFileUri(snap, prefix + child), name: child, mimeType: DIRECTORY });
    }
  }
  if (dir && files.length === 0 && dirs.size === 0) return undefined;
  return [...dirs.values(), ...files];
}
