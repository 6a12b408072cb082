import { isPending } from '../../engine/skill/review.js';
import { CliError, cliUserId, openExistingSdk, out } from '../common.js';
import { helpText, parseCommand } from '../options.js';
import { resolveSkill } from '../resolve.js';
import { SPECS } from '../specs.js';

/** `autoskill reject <id|slug>`: delete a held skill. A live skill is refused: this is not a general delete. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(SPECS.reject, argv);
  if (values.help) return (out(helpText(SPECS.reject)), 0);
  const ref = positionals[0];
  if (!ref) throw new CliError('missing <id|slug>; see autoskill review for the held skills', 2);
  const userId = cliUserId(values.user);
  const sdk = await openExistingSdk(values.store, { learning: { start: false } });
  try {
    const skill = resolveSkill(sdk, ref, { userId });
    if (!isPending(skill)) throw new CliError(`${skill.name} (${skill.id}) is not held for review; reject only removes held skills`);
    await sdk.delete(skill.id, { userId }).catch((err: Error) => {
      throw new CliError(`cannot reject ${ref} as user ${userId}: ${err.message}`);
    });
    out(`rejected ${skill.name} (${skill.id}): deleted`);
    return 0;
  } finally {
    await sdk.close();
  }
}
