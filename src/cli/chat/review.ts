import { isPending, REVIEW_REASON_KEY, type Actor, type AutoSkill } from '../../engine/index.js';
import type { ChatOutput } from './app.js';

/**
 * `/review`, `/approve <id>` and `/reject <id>` of the terminal chat: the user's learned skills
 * held for review (flagged by the poisoning scan, or everything learned with `--review`), never
 * injected until approved.
 */

export function printHeld(sdk: AutoSkill, userId: string, out: ChatOutput): void {
  const held = sdk.pending(userId);
  if (!held.length) return out.line('[review] nothing held for review.');
  for (const s of held) {
    out.line(`- ${s.id} | v${s.version} | ${s.name}`);
    out.line(`    held: ${s.metadata[REVIEW_REASON_KEY] ?? 'no reason recorded'}`);
  }
  out.line('[review] /approve <id> makes one live; /reject <id> deletes it.');
}

export async function decideHeld(sdk: AutoSkill, actor: Actor, name: 'approve' | 'reject', id: string, out: ChatOutput): Promise<void> {
  if (!id) return out.line(`Usage: /${name} <id>  (see /review)`);
  const skill = sdk.get(id, actor);
  if (!skill || !isPending(skill)) return out.line(`[${name}] ${id} is not one of your skills held for review (see /review).`);
  try {
    if (name === 'approve') {
      const live = await sdk.approve(id, actor);
      out.line(`[approve] "${live.name}" is live as v${live.version}.`);
    } else {
      await sdk.delete(id, actor);
      out.line(`[reject] "${skill.name}" deleted.`);
    }
  } catch (err) {
    out.line(`[${name}] ${(err as Error).message}`);
  }
}
