import { isPending } from '../../engine/index.js';
import { onHeldSkill } from '../held-skill.js';

/** `autoskill approve <id|slug>`: a held skill goes live as a new version (the user's own skills only). */
export function run(argv: string[]): Promise<number> {
  return onHeldSkill('approve', argv, async (sdk, skill, userId) => {
    if (!isPending(skill)) return `${skill.name} (${skill.id}) is not held for review; nothing to approve`;
    const approved = await sdk.approve(skill.id, { userId });
    return `approved ${approved.name} (${approved.id}): live as v${approved.version}`;
  });
}
