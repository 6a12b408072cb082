import { z } from 'zod';
import { assertCanImport, canSeeOtherOwners, importOwner, safeLibraryName, type Actor, type AutoSkill, type ImportReportEntry, type ImportTarget } from '../../../engine/index.js';
import { HttpError } from '../errors.js';
import { defineRoute, type RouteDef } from '../route.js';
import { QueryBool, SkillIdSchema, UserField } from '../schemas.js';
import { skillSummary } from '../shapes.js';

/**
 * Export and import. Imports take the skill in the request (a zip upload, a SKILL.md upload, or
 * either base64/text in JSON), never a path on the server: upstream's `root_dir`/`zip_path` let
 * any caller read arbitrary server files back as skills.
 */

const S = '/v1/autoskill/skills';

export const ExportQuery = z.object({
  format: z.enum(['files', 'md', 'skill_md', 'zip', 'zip_base64']).default('files'),
  download: QueryBool.optional().describe('zip: send the archive itself (application/zip) instead of JSON'),
  user: UserField,
});

const LibraryName = z.string().superRefine((v, ctx) => {
  try {
    safeLibraryName(v);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

const FolderName = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lowercase a-z, 0-9 and single dashes').max(64);

export const ImportQuery = z.object({
  scope: z.enum(['user', 'common', 'library']).optional(),
  library: LibraryName.optional(),
  overwrite: QueryBool.optional(),
  name: FolderName.optional().describe('folder name for a single SKILL.md'),
  user: UserField,
});

export const ImportBody = z
  .object({
    skill_md: z.string().min(1).max(1_000_000).optional(),
    zip_base64: z.string().min(1).max(70_000_000).optional(),
    name: FolderName.optional(),
    scope: z.enum(['user', 'common', 'library']).optional(),
    library: LibraryName.optional(),
    overwrite: z.boolean().optional(),
    user: UserField,
    root_dir: z.unknown().optional().describe('not supported: server paths are never read'),
    zip_path: z.unknown().optional().describe('not supported: server paths are never read'),
  })
  .describe('JSON import: `skill_md` text or `zip_base64`; or send the zip (application/zip) or SKILL.md (text/markdown) as the body');

function target(actor: Actor, scope: string | undefined, library: string | undefined): ImportTarget {
  const to: ImportTarget = scope === 'common' || scope === 'library' ? { scope: 'common', ...(library ? { library } : {}) } : { scope: 'user', userId: actor.userId };
  // The import calls check this too; checked here as well so a refused import is refused before
  // its upload is looked at (403 whatever the body).
  assertCanImport(actor, importOwner(to));
  return to;
}

function importedSummaries(sdk: AutoSkill, actor: Actor, report: ImportReportEntry[]) {
  return report
    .filter((r) => r.status === 'imported' && r.id)
    .map((r) => sdk.get(r.id!, actor))
    .filter((s) => s !== undefined)
    .map(skillSummary);
}

/** An id clash must not tell a user who owns the other skill. */
function redactOwner(entry: ImportReportEntry, actor: Actor): ImportReportEntry {
  if (canSeeOtherOwners(actor) || entry.code !== 'id_taken') return entry;
  return { ...entry, reason: 'this id is already used by another skill' };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function transferRoutes(): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: `${S}/:id/export`,
      summary: 'export a skill: files (JSON map), md, or zip (base64 in JSON, or the archive with download=1)',
      tag: 'skills',
      params: z.object({ id: SkillIdSchema }),
      query: ExportQuery,
      async handle({ res, ctx, actor, params, query }) {
        const skill = ctx.sdk.get(params.id, actor);
        if (!skill) throw new HttpError(404, `skill not found: ${params.id}`, { code: 'not_found' });
        const head = { object: 'skill_export', skill_id: skill.id, name: skill.name, version: skill.version };
        if (query.format === 'md' || query.format === 'skill_md') {
          const { text } = await ctx.sdk.export(skill.id, 'md', undefined, actor);
          return { ...head, format: 'md', skill_md: text ?? '' };
        }
        if (query.format === 'zip' || query.format === 'zip_base64') {
          const { bytes } = await ctx.sdk.export(skill.id, 'zip', undefined, actor);
          const file = `${skill.slug || skill.id}.zip`.replace(/[^A-Za-z0-9._-]/g, '_');
          if (query.download) {
            res.setHeader('Content-Type', 'application/zip');
            res.setHeader('Content-Disposition', `attachment; filename="${file}"`);
            res.end(Buffer.from(bytes ?? new Uint8Array()));
            return undefined;
          }
          return { ...head, format: 'zip_base64', file_name: file, zip_base64: Buffer.from(bytes ?? new Uint8Array()).toString('base64') };
        }
        const files: Record<string, string> = { 'SKILL.md': ctx.sdk.skillMd(skill.id, actor) };
        const binary: Record<string, string> = {};
        for (const rel of skill.resources) {
          const bytes = await ctx.sdk.readResource(skill.id, rel, actor);
          try {
            files[rel] = utf8.decode(bytes);
          } catch {
            binary[rel] = Buffer.from(bytes).toString('base64');
          }
        }
        return { ...head, format: 'files', files, binary_files: binary };
      },
    }),
    defineRoute({
      method: 'post',
      path: `${S}/import`,
      summary: 'import skills from an uploaded zip or SKILL.md (never from a server path)',
      tag: 'skills',
      accepts: ['json', 'zip', 'markdown'],
      query: ImportQuery,
      body: ImportBody,
      async handle({ ctx, actor, query, body, raw }) {
        if (body?.root_dir !== undefined || body?.zip_path !== undefined) {
          throw new HttpError(400, 'importing from server paths (root_dir, zip_path) is not supported; upload the zip or SKILL.md in the request body', {
            code: 'unsupported',
            param: body.root_dir !== undefined ? 'root_dir' : 'zip_path',
          });
        }
        const to = target(actor, body?.scope ?? query.scope, body?.library ?? query.library);
        const overwrite = body?.overwrite ?? query.overwrite ?? false;
        const name = body?.name ?? query.name;
        const opts = { overwrite, trigger: 'api', ...(name ? { name } : {}) };
        let report: ImportReportEntry[];
        if (raw?.kind === 'zip') report = await ctx.sdk.skills.importZip(actor, raw.bytes, to, opts);
        else if (raw?.kind === 'markdown') report = [await ctx.sdk.skills.importSkillMd(actor, raw.text, to, opts)];
        else if (body?.zip_base64) report = await ctx.sdk.skills.importZip(actor, Buffer.from(body.zip_base64, 'base64'), to, opts);
        else if (body?.skill_md) report = [await ctx.sdk.skills.importSkillMd(actor, body.skill_md, to, opts)];
        else throw new HttpError(400, 'nothing to import: send skill_md or zip_base64, or upload a zip / SKILL.md', { code: 'invalid_request' });
        const data = importedSummaries(ctx.sdk, actor, report);
        return { ok: report.every((r) => r.status !== 'error'), object: 'list', imported_count: data.length, data, report: report.map((r) => redactOwner(r, actor)) };
      },
    }),
  ];
}
