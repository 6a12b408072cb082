import { isPending } from '../../engine/index.js';
import { CliError } from '../common.js';
import { onHeldSkill } from '../held-skill.js';

/** `autoskill reject <id|slug>`: delete a held skill. A live skill is refused: this is not a general delete. */
export function run(argv: string[]): Promise<number> {
  return onHeldSkill('reject', argv, async (sdk, skill, userId) => {
    if (!isPending(skill)) throw new CliError(`${skill.name} (${skill.id}) is not held for review; reject only removes held skills`);
    await sdk.delete(skill.id, { userId });
    return `rejected ${skill.name} (${skill.id}): deleted`;
  });
}
