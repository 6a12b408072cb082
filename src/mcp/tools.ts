import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { errorsOf, learningOfJob, NotFoundError, OwnerSchema, TurnReportSchema, violationText, type Actor, type JobInfo, type TurnReport } from '../engine/index.js';
import { toChatMessages, type ChatMessage } from '../engine/ports/chat.js';
import type { McpContext, McpExtra } from './context.js';
import { skillMdText, visibleSkills } from './context.js';
import { parseConversation } from './conversation.js';
import { invalidArgument, toolError } from './errors.js';
import { filesOf, oneLine, SkillFileSchema, SkillSummarySchema, summarize, summaryLine, type SkillSummary } from './summary.js';
import { skillUri } from './uri.js';
import { registerApprove, registerSetApplies } from './tools-curation.js';

/**
 * The MCP tools. Each returns both a text result (what most clients show the model) and
 * `structuredContent` matching its `outputSchema` (for clients and programs that parse results).
 * Every failure is a tool result with `isError: true`, never a thrown error.
 */

const ScopeArg = z
  .enum(['all', 'user', 'common', 'library'])
  .describe('"user" = only this user\'s own skills, "common" (alias "library") = shared read-only skills, "all" = both');

function scopeOf(s: 'all' | 'user' | 'common' | 'library'): 'all' | 'user' | 'common' {
  return s === 'library' ? 'common' : s;
}

function result(text: string, structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured };
}

/** Run a tool body with the caller's actor; any failure becomes a tool error. */
function guarded<A>(ctx: McpContext, tool: string, body: (args: A, actor: Actor, extra: McpExtra) => Promise<CallToolResult>) {
  return async (args: A, extra: McpExtra): Promise<CallToolResult> => {
    try {
      return await body(args, await ctx.actorFor(extra), extra);
    } catch (err) {
      return toolError(err, ctx.logger, tool);
    }
  };
}

export function registerTools(server: McpServer, ctx: McpContext): void {
  registerSearch(server, ctx);
  registerExtract(server, ctx);
  registerGet(server, ctx);
  registerList(server, ctx);
  registerSave(server, ctx);
  registerRollback(server, ctx);
  registerDelete(server, ctx);
  registerSetApplies(server, ctx);
  registerApprove(server, ctx);
}

// ------------------------------------------------------------------------------ search_skills

function registerSearch(server: McpServer, ctx: McpContext): void {
  const { sdk } = ctx;
  server.registerTool(
    'search_skills',
    {
      title: 'Search skills',
      description:
        'Find skills (the user\'s learned preferences and shared how-to guides) relevant to a task. ' +
        'Call this at the start of a task, with the task described in a few words in any language. ' +
        'Returns the best matches (the user\'s own skills first, then shared ones, each group best first), each with a score (0..1, how likely the skill applies; ' +
        'the server injects skills scoring at least its threshold, 0.5 by default), and in `instructions` ' +
        'the full instructions of the matches that clear it: follow those while doing the task. ' +
        'Each hit has an id for get_skill and a resource URI.',
      inputSchema: {
        query: z.string().trim().min(1).max(4000).describe('what the user wants to do, e.g. "write a weekly status report"'),
        scope: ScopeArg.default('all'),
        limit: z.number().int().min(1).max(20).default(5).describe('maximum number of hits (default 5)'),
        min_score: z
          .number()
          .min(0)
          .max(1)
          .optional()
          .describe('drop hits scoring below this (0..1); default: no cut, the best `limit` hits are returned with their scores'),
      },
      outputSchema: {
        query: z.string(),
        hits: z.array(SkillSummarySchema.extend({ score: z.number() })),
        instructions: z.string().describe('rendered instructions of the best hits; empty when nothing matched'),
        included: z.array(z.string()).describe('ids of the skills whose instructions are in `instructions`'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(ctx, 'search_skills', async ({ query, scope, limit, min_score }, actor) => {
      // The list is ranked, not cut; the rendered instructions hold only the hits that clear the
      // injection threshold, plus the user's standing preferences (they apply to every task).
      // The service records what was retrieved and injected.
      const { hits, context: rendered } = await sdk.retrieval.search(actor, query, {
        scope: scopeOf(scope),
        limit,
        ...(min_score !== undefined ? { minScore: min_score } : {}),
        // as in injection: the user's own skills before library guides on the same task
        ownFirst: true,
      });
      const out = hits.map((h) => ({ ...summarize(h.skill, actor), score: Math.round(h.score * 1e4) / 1e4 }));
      // The text is what most hosts show the model: it names only the hits worth following (all of
      // them when the caller chose its own cut); weaker ones stay in the structured `hits`, so a
      // 0.03 match is never read as an instruction.
      const threshold = min_score ?? sdk.retrievalDefaults.minScore;
      const shown = out.filter((h) => h.score >= threshold);
      const weaker = out.length - shown.length;
      const text = [
        shown.length === 0 ? `No skill clearly applies to "${oneLine(query, 80)}".` : `${shown.length} skill(s) apply to "${oneLine(query, 80)}":`,
        ...shown.map((h) => summaryLine(h, ` score ${h.score.toFixed(3)}`)),
        ...(weaker > 0 ? [`${weaker} weaker match(es) scored below ${threshold} and are listed only in the structured result (hits).`] : []),
        '',
        rendered?.text ?? '',
      ].join('\n');
      return result(text.trimEnd(), {
        query,
        hits: out,
        instructions: rendered?.text ?? '',
        included: rendered?.included.map((i) => i.id) ?? [],
      });
    }),
  );
}

// ------------------------------------------------------------------------------ extract_now

const JobResultSchema = z.object({
  status: z.enum(['upserted', 'unchanged', 'discarded', 'nothing']),
  reason: z.string(),
  skills: z.array(z.object({ id: z.string(), name: z.string(), version: z.string(), owner: OwnerSchema, action: z.string() })),
});

const MessageArg = z.object({
  role: z.enum(['user', 'assistant', 'system', 'tool']),
  content: z.string().max(100_000),
});

function registerExtract(server: McpServer, ctx: McpContext): void {
  const { sdk } = ctx;
  const maxWaitSeconds = Math.max(1, Math.floor(ctx.maxWaitMs / 1000));
  server.registerTool(
    'extract_now',
    {
      title: 'Learn a skill now',
      description:
        'Learn from the conversation now. Call this when the user states a durable preference, rule or correction ' +
        'that should apply to future tasks ("always cite sources", "don\'t use markdown", "以后都用中文回答"). ' +
        'Pass the recent conversation as `messages` (or as one `conversation` transcript with "User:" / "Assistant:" lines), ' +
        'and optionally a `hint` saying what to remember. Extraction runs in the background and this returns its job id; ' +
        `with wait=true it waits (at most ${maxWaitSeconds} s) and returns the skills that were created or updated. ` +
        'One-off requests are not learned; only rules the user wants kept.',
      inputSchema: {
        messages: z.array(MessageArg).min(1).max(200).optional().describe('recent conversation, oldest first, ending with the user message that states the rule'),
        conversation: z.string().max(400_000).optional().describe('alternative to messages: a transcript with "User:" and "Assistant:" labels'),
        hint: z.string().max(2000).optional().describe('what to remember, in one sentence (optional)'),
        wait: z.boolean().default(false).describe('wait for the result (bounded) instead of returning at once'),
        timeout_seconds: z.number().int().min(1).max(maxWaitSeconds).optional().describe(`how long to wait with wait=true (default and maximum ${maxWaitSeconds})`),
      },
      outputSchema: {
        job_id: z.string(),
        state: z.enum(['scheduled', 'running', 'completed', 'failed']),
        done: z.boolean(),
        timed_out: z.boolean(),
        status: z.enum(['upserted', 'unchanged', 'discarded', 'nothing']).optional().describe('what the finished job did'),
        reason: z.string().optional(),
        error: z.string().optional(),
        skills: z.array(z.object({ id: z.string(), name: z.string(), version: z.string(), action: z.string(), uri: z.string() })),
        report: TurnReportSchema.describe('the turn report every autoskill surface gives (here: nothing retrieved, the extraction job)'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    guarded(ctx, 'extract_now', async ({ messages, conversation, hint, wait, timeout_seconds }, actor, extra) => {
      const msgs: ChatMessage[] = [
        ...(conversation ? parseConversation(conversation) : []),
        ...(messages ? toChatMessages(messages) : []),
      ];
      if (msgs.length === 0 && !hint?.trim()) {
        return invalidArgument('give the conversation as `messages` or `conversation` (or at least a `hint`)');
      }
      // Through the turn pipeline, like every surface: explicit, so the policy does not apply.
      const { job: scheduled } = await sdk.turns.extractNow(msgs, {
        userId: actor.userId,
        hint,
        surface: 'mcp',
        // Provenance: the MCP session is the conversation as far as this server can tell.
        ...(extra.sessionId ? { sessionId: extra.sessionId } : {}),
      });
      let job = scheduled;
      let timedOut = false;
      if (wait) {
        const ms = Math.min(ctx.maxWaitMs, (timeout_seconds ?? maxWaitSeconds) * 1000);
        const signal = AbortSignal.any([extra.signal, AbortSignal.timeout(ms)]);
        try {
          job = (await sdk.jobs.wait(actor, scheduled.id, { signal })) ?? scheduled;
        } catch {
          // Timed out (or the client cancelled): report where the job is; it keeps running.
          timedOut = !extra.signal.aborted;
          job = (await sdk.jobs.get(actor, scheduled.id)) ?? scheduled;
        }
      }
      const report = sdk.turns.report({ userId: actor.userId, learning: learningOfJob(job, 'extract_now (explicit request)') });
      return jobResult(job, timedOut, report);
    }),
  );
}

function jobResult(job: JobInfo, timedOut: boolean, report: TurnReport): CallToolResult {
  const done = job.state === 'completed' || job.state === 'failed';
  const parsed = JobResultSchema.safeParse(job.result);
  const res = parsed.success ? parsed.data : undefined;
  const skills = (res?.skills ?? []).map((s) => ({
    id: s.id,
    name: s.name,
    version: s.version,
    action: s.action,
    uri: skillUri(s),
  }));
  const lines: string[] = [];
  if (!done) {
    lines.push(
      timedOut
        ? `Extraction job ${job.id} is still ${job.state}; it keeps running in the background.`
        : `Extraction job ${job.id} is ${job.state}; the result will appear in search_skills and list_skills when it finishes.`,
    );
  } else if (job.state === 'failed') {
    lines.push(`Extraction job ${job.id} failed: ${job.error ?? 'unknown error'}`);
  } else if (skills.length > 0) {
    lines.push(`Extraction job ${job.id} finished (${res?.status}): ${res?.reason ?? ''}`.trimEnd());
    for (const s of skills) lines.push(`- ${s.name} [${s.id}] v${s.version} (${s.action}) ${s.uri}`);
  } else {
    lines.push(`Extraction job ${job.id} finished without a new skill (${res?.status ?? 'nothing'}): ${res?.reason ?? ''}`.trimEnd());
  }
  return result(lines.join('\n'), {
    job_id: job.id,
    state: job.state,
    done,
    timed_out: timedOut,
    ...(res ? { status: res.status, reason: res.reason } : {}),
    ...(job.error ? { error: job.error } : {}),
    skills,
    report,
  });
}

// ------------------------------------------------------------------------------ get_skill

function registerGet(server: McpServer, ctx: McpContext): void {
  const { sdk } = ctx;
  server.registerTool(
    'get_skill',
    {
      title: 'Get a skill',
      description:
        'Read one skill in full: its SKILL.md text (front matter + instructions), its resource files and its version history. ' +
        'Use the id from search_skills or list_skills. Edit the returned `skill_md` and pass it to save_skill to change the skill.',
      inputSchema: {
        id: z.string().trim().min(1).max(200).describe('skill id'),
      },
      outputSchema: {
        ...SkillSummarySchema.shape,
        tags: z.array(z.string()),
        triggers: z.array(z.string()),
        skill_md: z.string(),
        files: z.array(SkillFileSchema),
        versions: z.array(z.object({ version: z.string(), at: z.string(), current: z.boolean(), source: z.string().optional() })),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(ctx, 'get_skill', async ({ id }, actor) => {
      const skillMd = await skillMdText(sdk, id, actor);
      const skill = sdk.get(id, actor)!;
      const versions = (await sdk.versions(id, actor)).map((v) => ({
        version: v.version,
        at: v.at,
        current: v.current,
        ...(v.source ? { source: [v.source.kind, v.source.trigger].filter(Boolean).join('/') } : {}),
      }));
      const files = filesOf(skill);
      const summary = summarize(skill, actor);
      const header = [summaryLine(summary), `uri: ${summary.uri}`];
      if (versions.length > 0) header.push(`versions: ${versions.map((v) => (v.current ? `${v.version} (current)` : v.version)).join(', ')}`);
      if (files.length > 0) header.push(`files:\n${files.map((f) => `  ${f.path}  ${f.uri}`).join('\n')}`);
      const text = `${header.join('\n')}\n\n${skillMd}`;
      return result(text, { ...summary, tags: skill.tags, triggers: skill.triggers, skill_md: skillMd, files, versions });
    }),
  );
}

// ------------------------------------------------------------------------------ list_skills

function registerList(server: McpServer, ctx: McpContext): void {
  const { sdk } = ctx;
  server.registerTool(
    'list_skills',
    {
      title: 'List skills',
      description:
        'List the skills this user can use: their own learned skills first, then shared Common skills. ' +
        'Paginated: pass `offset` = `next_offset` from the previous page. To find skills for a task, prefer search_skills.',
      inputSchema: {
        scope: ScopeArg.default('user'),
        limit: z.number().int().min(1).max(500).default(50),
        offset: z.number().int().min(0).default(0),
      },
      outputSchema: {
        scope: z.enum(['all', 'user', 'common']),
        total: z.number().int(),
        offset: z.number().int(),
        skills: z.array(SkillSummarySchema),
        next_offset: z.number().int().optional().describe('present when more skills follow'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(ctx, 'list_skills', async ({ scope, limit, offset }, actor) => {
      const s = scopeOf(scope);
      const all = visibleSkills(sdk, actor, s);
      const page: SkillSummary[] = all.slice(offset, offset + limit).map((k) => summarize(k, actor));
      const next = offset + page.length < all.length ? offset + page.length : undefined;
      const text =
        all.length === 0
          ? `No skills in scope "${s}".`
          : [
              `${all.length} skill(s) in scope "${s}"; showing ${page.length === 0 ? 'none' : `${offset + 1}-${offset + page.length}`}:`,
              ...page.map((k) => summaryLine(k)),
              ...(next !== undefined ? [`(more: call again with offset=${next})`] : []),
            ].join('\n');
      return result(text, { scope: s, total: all.length, offset, skills: page, ...(next !== undefined ? { next_offset: next } : {}) });
    }),
  );
}

// ------------------------------------------------------------------------------ save_skill

/** Violations the new text adds; ones the stored skill already had (e.g. an imported file) do not block an edit. */
function registerSave(server: McpServer, ctx: McpContext): void {
  const { sdk } = ctx;
  server.registerTool(
    'save_skill',
    {
      title: 'Save a skill',
      description:
        'Replace a skill with edited SKILL.md text (get it from get_skill first and keep the front matter). ' +
        'The text is validated against the Agent Skills spec; nothing is written if it is invalid. ' +
        'Each save creates a new version (the old one stays in the history; rollback_skill restores it). ' +
        'Without `id`, creates a new skill of this user from the text. Common skills are read-only.',
      inputSchema: {
        id: z.string().trim().min(1).max(200).optional().describe('id of the skill to replace; omit to create a new skill'),
        skill_md: z.string().min(1).max(1_000_000).describe('the complete SKILL.md text: "---" front matter with name and description, "---", then the instructions'),
      },
      outputSchema: {
        ...SkillSummarySchema.shape,
        created: z.boolean(),
        previous_version: z.string().optional(),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    guarded(ctx, 'save_skill', async ({ id, skill_md }, actor) => {
      if (id) {
        const before = sdk.skills.get(actor, id);
        // The service checks access (missing and unreadable look alike; Common is read-only) and
        // judges the text on the violations it adds; on any problem nothing is written.
        const saved = await sdk.skills.saveSkillMd(actor, id, skill_md);
        const previous = before?.version ?? saved.version;
        const summary = summarize(saved, actor);
        return result(`Saved ${saved.name} [${saved.id}]: v${previous} → v${saved.version}. ${summary.uri}`, {
          ...summary,
          created: false,
          previous_version: previous,
        });
      }
      const violations = errorsOf(sdk.validate(skill_md));
      if (violations.length > 0) return invalidArgument(`SKILL.md is not valid, nothing was saved: ${violationText(violations)}`);
      // A taken id in the text gets a fresh one: pasted text never overwrites another skill.
      const created = await sdk.skills.createFromSkillMd(actor, skill_md, { kind: 'manual', trigger: 'mcp' });
      const summary = summarize(created, actor);
      return result(`Created ${created.name} [${created.id}] v${created.version}. ${summary.uri}`, { ...summary, created: true });
    }),
  );
}

// ------------------------------------------------------------------------------ rollback_skill

function registerRollback(server: McpServer, ctx: McpContext): void {
  const { sdk } = ctx;
  server.registerTool(
    'rollback_skill',
    {
      title: 'Roll back a skill',
      description:
        'Restore an earlier version of one of the user\'s skills (default: the version before the current one). ' +
        'The restored content is saved as a new version, so nothing is lost. get_skill lists the versions.',
      inputSchema: {
        id: z.string().trim().min(1).max(200),
        version: z.string().trim().min(1).max(50).optional().describe('version to restore, e.g. "0.1.0"'),
      },
      outputSchema: {
        ...SkillSummarySchema.shape,
        restored_from: z.string(),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    guarded(ctx, 'rollback_skill', async ({ id, version }, actor) => {
      const restored = await sdk.rollback(id, version, actor);
      const from = restored.source?.ref ?? version ?? '';
      const summary = summarize(restored, actor);
      return result(`Restored ${restored.name} [${restored.id}] from v${from} as v${restored.version}. ${summary.uri}`, {
        ...summary,
        restored_from: from,
      });
    }),
  );
}

// ------------------------------------------------------------------------------ delete_skill

function registerDelete(server: McpServer, ctx: McpContext): void {
  const { sdk } = ctx;
  server.registerTool(
    'delete_skill',
    {
      title: 'Delete a skill',
      description:
        'Delete one of the user\'s own skills (Common skills are read-only). Only do this when the user asks. ' +
        'The history is kept, so rollback_skill can bring it back.',
      inputSchema: { id: z.string().trim().min(1).max(200) },
      outputSchema: { id: z.string(), deleted: z.boolean() },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded(ctx, 'delete_skill', async ({ id }, actor) => {
      const deleted = await sdk.delete(id, actor);
      if (!deleted) throw new NotFoundError(`skill not found: ${id}`);
      return result(`Deleted skill ${id}.`, { id, deleted });
    }),
  );
}
