import { isPending } from '../../engine/skill/review.js';
import { CliError, cliUserId, openExistingSdk, out } from '../common.js';
import { helpText, parseCommand } from '../options.js';
import { resolveSkill } from '../resolve.js';
import { SPECS } from '../specs.js';

/** `autoskill approve <id|slug>`: a held skill goes live as a new version (the user's own skills only). */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(SPECS.approve, argv);
  if (values.help) return (out(helpText(SPECS.approve)), 0);
  const ref = positionals[0];
  if (!ref) throw new CliError('missing <id|slug>; see autoskill review for the held skills', 2);
  const userId = cliUserId(values.user);
  const sdk = await openExistingSdk(values.store, { learning: { start: false } });
  try {
    const skill = resolveSkill(sdk, ref, { userId });
    if (!isPending(skill)) {
      out(`${skill.name} (${skill.id}) is not held for review; nothing to approve`);
      return 0;
    }
    // As the owner: approving someone else's held skill is refused like any other write.
    const approved = await sdk.approve(skill.id, { userId }).catch((err: Error) => {
      throw new CliError(`cannot approve ${ref} as user ${userId}: ${err.message}`);
    });
    out(`approved ${approved.name} (${approved.id}): live as v${approved.version}`);
    return 0;
  } finally {
    await sdk.close();
  }
}
