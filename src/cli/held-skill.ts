import type { AutoSkill, Skill } from '../engine/index.js';
import { CliError, cliUserId, openExistingSdk, out } from './common.js';
import { helpText, parseCommand } from './options.js';
import { resolveSkill } from './resolve.js';
import { SPECS } from './specs.js';

/**
 * The shared shell of `approve` and `reject`: parse, resolve the named skill among the user's,
 * run the action as that user (someone else's skill is refused like any other write), close.
 */
export async function onHeldSkill(
  command: 'approve' | 'reject',
  argv: string[],
  action: (sdk: AutoSkill, skill: Skill, userId: string) => Promise<string>,
): Promise<number> {
  const spec = SPECS[command];
  const { values, positionals } = parseCommand(spec, argv);
  if (values.help) return (out(helpText(spec)), 0);
  const ref = positionals[0];
  if (!ref) throw new CliError('missing <id|slug>; see autoskill review for the held skills', 2);
  const userId = cliUserId(values.user);
  const sdk = await openExistingSdk(values.store, { learning: { start: false } });
  try {
    const skill = resolveSkill(sdk, ref, { userId });
    out(
      await action(sdk, skill, userId).catch((err: Error) => {
        if (err instanceof CliError) throw err;
        throw new CliError(`cannot ${command} ${ref} as user ${userId}: ${err.message}`);
      }),
    );
    return 0;
  } finally {
    await sdk.close();
  }
}
