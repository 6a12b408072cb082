import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ReadResourceResult, Resource } from '@modelcontextprotocol/sdk/types.js';
import { StoreError } from '../engine/store/store.js';
import type { McpContext, McpExtra } from './context.js';
import { skillMdText, visibleSkills } from './context.js';
import { protocolError } from './errors.js';
import { oneLine } from './summary.js';
import { parseSkillUriVars, SKILL_FILE_TEMPLATE, SKILL_MD_TEMPLATE, skillFileUri, skillUri, uriScopeOf, type SkillUriParts } from './uri.js';

/**
 * Skills as MCP resources (URI scheme in uri.ts). resources/list returns the SKILL.md of every
 * skill the user can read (own first) and their resource files, up to a cap: a store with
 * thousands of Common skills would otherwise send megabytes on every refresh; search_skills is
 * the way to find the rest, and any skill's URI can be read whether listed or not.
 */

const TEXT_TYPES: Record<string, string> = {
  md: 'text/markdown',
  markdown: 'text/markdown',
  txt: 'text/plain',
  json: 'application/json',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  csv: 'text/csv',
  html: 'text/html',
  xml: 'application/xml',
  py: 'text/x-python',
  js: 'text/javascript',
  mjs: 'text/javascript',
  ts: 'text/x-typescript',
  sh: 'text/x-shellscript',
  svg: 'image/svg+xml',
};
const BINARY_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  zip: 'application/zip',
};

function mimeTypeOf(file: string): string {
  const ext = file.toLowerCase().split('.').pop() ?? '';
  return TEXT_TYPES[ext] ?? BINARY_TYPES[ext] ?? 'application/octet-stream';
}

/** Text when the bytes are UTF-8 without NULs (what a client can show); otherwise a base64 blob. */
function asText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

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
    if (!skill || uriScopeOf(skill.owner) !== parts.scope) throw new StoreError(`resource not found: ${uri.href}`, 'not_found');
    return { actor, parts, skill };
  };

  server.registerResource(
    'skill',
    new ResourceTemplate(SKILL_MD_TEMPLATE, {
      list: async (extra) => {
        const actor = await ctx.actorFor(extra);
        const resources: Resource[] = [];
        for (const s of visibleSkills(sdk, actor)) {
          if (resources.length >= ctx.maxListedResources) break;
          resources.push({
            uri: skillUri(s),
            name: s.slug,
            title: s.name,
            description: `${uriScopeOf(s.owner) === 'user' ? 'Your skill' : 'Common skill'} v${s.version}: ${oneLine(s.description, 300)}`,
            mimeType: 'text/markdown',
          });
          for (const f of s.resources) {
            if (resources.length >= ctx.maxListedResources) break;
            resources.push({ uri: skillFileUri(s, f), name: `${s.slug}/${f}`, title: `${s.name}: ${f}`, mimeType: mimeTypeOf(f) });
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
        const { actor, parts, skill } = await readable(uri, vars, extra);
        if (!skill.resources.includes(parts.path)) throw new StoreError(`resource not found: ${uri.href}`, 'not_found');
        const bytes = await sdk.readResource(parts.id, parts.path, actor);
        const mimeType = mimeTypeOf(parts.path);
        const text = asText(bytes);
        return {
          contents: [
            text !== undefined
              ? { uri: uri.href, mimeType, text }
              : { uri: uri.href, mimeType, blob: Buffer.from(bytes).toString('base64') },
          ],
        };
      } catch (err) {
        throw protocolError(err, ctx.logger);
      }
    },
  );
}

function checked(parts: SkillUriParts | undefined, uri: string): SkillUriParts {
  if (!parts) throw new StoreError(`malformed skill URI: ${uri}; expected skill://user|common/<id>/SKILL.md or …/<id>/<path>`, 'not_found');
  return parts;
}
