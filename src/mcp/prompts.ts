import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { GetPromptResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { NotFoundError, type Skill } from '../engine/index.js';
import type { McpContext } from './context.js';
import { resolveSkillRef, visibleSkills } from './context.js';
import { INVALID_PARAMS, protocolError } from './errors.js';
import { skillFileUri, skillUri } from './uri.js';

/**
 * `use_skill`: a prompt a person picks in the client (e.g. a slash command) to put one skill's
 * instructions into the conversation. People type names, so the argument accepts an id, the
 * folder slug or the exact name.
 */

export function registerPrompts(server: McpServer, ctx: McpContext): void {
  const { sdk } = ctx;
  server.registerPrompt(
    'use_skill',
    {
      title: 'Use a skill',
      description: 'Put a skill\'s instructions into the conversation so the assistant follows them.',
      argsSchema: {
        id: completable(z.string().describe('skill id, folder name (slug) or exact name'), (value) => {
          // Completion carries no auth context: only a server bound to one user suggests names.
          if (!ctx.fixedActor) return [];
          const v = value.toLowerCase();
          return visibleSkills(sdk, ctx.fixedActor)
            .filter((s) => s.slug.startsWith(v) || s.id.toLowerCase().startsWith(v))
            .slice(0, 100)
            .map((s) => s.slug);
        }),
        task: z.string().optional().describe('the task to apply the skill to (optional)'),
      },
    },
    async ({ id, task }, extra): Promise<GetPromptResult> => {
      try {
        const actor = await ctx.actorFor(extra);
        const skill = resolveSkillRef(sdk, actor, id);
        if (!skill) throw new NotFoundError(`skill not found: ${id}`);
        return {
          description: `${skill.name} (v${skill.version})`,
          messages: [{ role: 'user', content: { type: 'text', text: promptText(skill, task) } }],
        };
      } catch (err) {
        throw protocolError(err, ctx.logger, INVALID_PARAMS);
      }
    },
  );
}

function promptText(skill: Skill, task: string | undefined): string {
  const files = skill.resources.map((f) => `- ${f}: ${skillFileUri(skill, f)}`);
  return [
    `Use the skill "${skill.name}" (v${skill.version}, ${skillUri(skill)}) for the rest of this conversation.`,
    skill.description ? `What it is for: ${skill.description}` : '',
    '',
    '<skill_instructions>',
    skill.instructions.trim(),
    '</skill_instructions>',
    ...(files.length > 0 ? ['', 'Files that come with the skill (read them as resources when the instructions refer to them):', ...files] : []),
    ...(task?.trim() ? ['', `Task: ${task.trim()}`] : []),
  ]
    .filter((line, i, all) => line !== '' || (i > 0 && all[i - 1] !== ''))
    .join('\n');
}
