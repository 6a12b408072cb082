import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { McpContext } from './context.js';
import { toolError } from './errors.js';
import { SkillSummarySchema, summarize } from './summary.js';

/**
 * `set_skill_applies`: switch one of the user's skills between a standing preference (injected in
 * every conversation) and a task-bound skill (used when a task matches). A new version is written,
 * so rollback_skill undoes it.
 */
export function registerSetApplies(server: McpServer, ctx: McpContext): void {
  const { sdk } = ctx;
  server.registerTool(
    'set_skill_applies',
    {
      title: 'Make a skill standing or task-bound',
      description:
        'Switch one of the user\'s own skills between "always" (a standing preference about the user, applied in every ' +
        'conversation, e.g. "answer in plain text") and "task" (used only when a task matches, e.g. "my reports cite sources"). ' +
        'Only do this when the user asks.',
      inputSchema: {
        id: z.string().trim().min(1).max(200),
        applies: z.enum(['always', 'task']).describe('"always" = standing preference; "task" = task-bound'),
      },
      outputSchema: SkillSummarySchema.shape,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ id, applies }, extra): Promise<CallToolResult> => {
      try {
        const actor = await ctx.actorFor(extra);
        const skill = await sdk.setApplies(id, applies, actor);
        const summary = summarize(skill, actor);
        const what = applies === 'always' ? 'a standing preference, applied in every conversation' : 'task-bound, used when a task matches';
        return {
          content: [{ type: 'text', text: `${skill.name} [${skill.id}] v${skill.version} is now ${what}.` }],
          structuredContent: summary,
        };
      } catch (err) {
        return toolError(err, ctx.logger, 'set_skill_applies');
      }
    },
  );
}

/**
 * `approve_skill`: a learned skill held for review (flagged by the poisoning scan, or review mode)
 * goes live. Rejecting is `delete_skill`.
 */
export function registerApprove(server: McpServer, ctx: McpContext): void {
  const { sdk } = ctx;
  server.registerTool(
    'approve_skill',
    {
      title: 'Approve a held skill',
      description:
        'Approve one of the user\'s learned skills that is held for review (list_skills shows them as "held for review"), ' +
        'so it is used from now on. Read it first with get_skill; only approve when the user asks. Reject with delete_skill.',
      inputSchema: { id: z.string().trim().min(1).max(200) },
      outputSchema: SkillSummarySchema.shape,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ id }, extra): Promise<CallToolResult> => {
      try {
        const actor = await ctx.actorFor(extra);
        const skill = await sdk.approve(id, actor);
        return {
          content: [{ type: 'text', text: `${skill.name} [${skill.id}] v${skill.version} is approved and in use.` }],
          structuredContent: summarize(skill, actor),
        };
      } catch (err) {
        return toolError(err, ctx.logger, 'approve_skill');
      }
    },
  );
}
