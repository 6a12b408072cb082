import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { McpError, type ReadResourceResult, type Resource } from '@modelcontextprotocol/sdk/types.js';
import { NotFoundError } from '../engine/index.js';
import type { McpContext, McpExtra } from './context.js';
import { skillMdText, visibleSkills } from './context.js';
import { INVALID_PARAMS, protocolError } from './errors.js';
import { asText, mimeTypeOf } from './mime.js';
import { snapshotsOf, type SkillSnapshot } from './skill-snapshot.js';
import { resolveVersioned } from './skills-extension.js';
import { oneLine } from './summary.js';
import { parseSkillUriVars, parseVersionedSkillUri, SKILL_FILE_TEMPLATE, SKILL_MD_TEMPLATE, uriScopeOf, versionedFileUri, type SkillUriParts } from './uri.js';

/**
 * Skills as MCP resources (URI scheme in uri.ts). resources/list returns the SKILL.md of every
 * skill the user can read (own first) and their resource files, up to a cap: a store with
 * thousands of Common skills would otherwise send megabytes on every refresh; search_skills is
 * the way to find the rest, and any skill's URI can be read whether listed or not.
 *
 * Listed URIs are the versioned ones of the Skills extension (skill-snapshot.ts), named and
 * described from the served front matter as SEP-2640 asks. The unversioned URIs
 * (skill://user/<id>/SKILL.md, …/<path>) stay readable and always give the current stored files.
 */

export function registerResources(server: McpServer, ctx: McpContext): void {
  const { sdk } = ctx;

  const completeId = (value: string, context?: { arguments?: Record<string, string> }): string[] => {
    // Completion requests carry no auth context, so only a server bound to one user suggests ids.
    if (!ctx.fixedActor) return [];
    const scope = context?.arguments?.scope;
    const v = value.toLowerCase();
    return visibleSkills(sdk, ctx.fixedActor)
      .filter((s) => (scope !== 'user' && scope !== 'common') || uriScopeOf(s.owner) === scope)
      .filter((s) => s.id.toLowerCase().startsWith(v) || s.slug.startsWith(v))
      .slice(0, 100)
      .map((s) => s.id);
  };
  const completeScope = (value: string): string[] => ['user', 'common'].filter((s) => s.startsWith(value));
  /** The skill a skill:// URI names, if this caller may read it in the URI's scope (else not found). */
  const readable = async (uri: URL, vars: Record<string, string | string[]>, extra: McpExtra) => {
    const actor = await ctx.actorFor(extra);
    const parts = checked(parseSkillUriVars(vars), uri.href);
    const skill = sdk.get(parts.id, actor);
    if (!skill || uriScopeOf(skill.owner) !== parts.scope) throw new NotFoundError(`resource not found: ${uri.href}`);
    return { actor, parts, skill };
  };
  /**
   * A versioned URI answers from its snapshot: the very bytes its digest was computed from. A
   * URI of that shape that names no snapshot this caller can read is unknown (-32602, as the
   * Skills extension specifies for resources/read) unless it is an ordinary file path.
   */
  const readVersioned = async (uri: URL, extra: McpExtra): Promise<ReadResourceResult | undefined> => {
    const parsed = parseVersionedSkillUri(uri.href);
    if (!parsed?.path) return undefined;
    const actor = await ctx.actorFor(extra);
    const snap: SkillSnapshot | undefined = await resolveVersioned(ctx, actor, parsed);
    const file = snap?.files.get(parsed.path);
    if (file) return contentsOf(uri.href, parsed.path, file.bytes);
    const legacy = parseSkillUriVars({ scope: parsed.scope, id: parsed.id, path: uri.href.split('/').slice(4).join('/') });
    const skill = legacy ? sdk.get(legacy.id, actor) : undefined;
    if (legacy && skill && skill.resources.includes(legacy.path)) return undefined;
    throw new McpError(INVALID_PARAMS, `no skill file is served at ${uri.href}`);
  };

  server.registerResource(
    'skill',
    new ResourceTemplate(SKILL_MD_TEMPLATE, {
      list: async (extra) => {
        const actor = await ctx.actorFor(extra);
        const resources: Resource[] = [];
        for (const s of visibleSkills(sdk, actor)) {
          if (resources.length >= ctx.maxListedResources) break;
          const snap = await snapshotsOf(sdk).get(s);
          if (!snap) continue;
          const description = snap.frontmatter.description;
          resources.push({
            uri: snap.uri,
            name: snap.name,
            title: `${s.name} (${uriScopeOf(s.owner) === 'user' ? 'your skill' : 'Common'}, v${s.version})`,
            ...(typeof description === 'string' ? { description } : { description: oneLine(s.description, 300) }),
            mimeType: 'text/markdown',
            size: snap.files.get('SKILL.md')!.bytes.byteLength,
          });
          for (const [f, file] of snap.files) {
            if (f === 'SKILL.md') continue;
            if (resources.length >= ctx.maxListedResources) break;
            resources.push({ uri: versionedFileUri(snap, f), name: `${snap.name}/${f}`, title: `${s.name}: ${f}`, mimeType: mimeTypeOf(f), size: file.bytes.byteLength });
          }
        }
        return { resources };
      },
      complete: { scope: completeScope, id: completeId },
    }),
    {
      title: 'Skill (SKILL.md)',
      description: 'A skill\'s SKILL.md: YAML front matter (name, description, metadata) and the instructions. skill://user/<id>/SKILL.md for your skills, skill://common/<id>/SKILL.md for shared ones.',
      mimeType: 'text/markdown',
    },
    async (uri, vars, extra): Promise<ReadResourceResult> => {
      try {
        const { actor, parts } = await readable(uri, vars, extra);
        return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: await skillMdText(sdk, parts.id, actor) }] };
      } catch (err) {
        throw protocolError(err, ctx.logger);
      }
    },
  );

  server.registerResource(
    'skill-file',
    new ResourceTemplate(SKILL_FILE_TEMPLATE, { list: undefined, complete: { scope: completeScope, id: completeId } }),
    {
      title: 'Skill resource file',
      description: 'A file inside a skill folder, e.g. skill://user/<id>/references/guide.md (paths are listed by get_skill).',
    },
    async (uri, vars, extra): Promise<ReadResourceResult> => {
      try {
        const versioned = await readVersioned(uri, extra);
        if (versioned) return versioned;
        const { actor, parts, skill } = await readable(uri, vars, extra);
        if (!skill.resources.includes(parts.path)) throw new NotFoundError(`resource not found: ${uri.href}`);
        return contentsOf(uri.href, parts.path, await sdk.readResource(parts.id, parts.path, actor));
      } catch (err) {
        throw protocolError(err, ctx.logger);
      }
    },
  );
}

function contentsOf(uri: string, path: string, bytes: Uint8Array): ReadResourceResult {
  const mimeType = mimeTypeOf(path);
  const text = asText(bytes);
  return { contents: [text !== undefined ? { uri, mimeType, text } : { uri, mimeType, blob: Buffer.from(bytes).toString('base64') }] };
}

function checked(parts: SkillUriParts | undefined, uri: string): SkillUriParts {
  if (!parts) throw new NotFoundError(`malformed skill URI: ${uri}; expected skill://user|common/<id>/SKILL.md or …/<id>/<path>`);
  return parts;
}
