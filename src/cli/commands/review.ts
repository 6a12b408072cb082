import { appliesOf, REVIEW_REASON_KEY } from '../../engine/index.js';
import { cliUserId, openExistingSdk, out } from '../common.js';
import { helpText, parseCommand } from '../options.js';
import { SPECS } from '../specs.js';

/** `autoskill review`: the user's learned skills held for review, newest first, with why each was held. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand(SPECS.review, argv);
  if (values.help) return (out(helpText(SPECS.review)), 0);
  const userId = cliUserId(values.user);
  // Only reads: the job runner stays off, so a server's queued jobs are not run from here.
  const sdk = await openExistingSdk(values.store, { learning: { start: false } });
  try {
    const held = sdk.pending(userId);
    if (values.json) {
      out(
        JSON.stringify(
          held.map((s) => ({
            id: s.id,
            slug: s.slug,
            name: s.name,
            version: s.version,
            applies: appliesOf(s),
            description: s.description,
            review_reason: s.metadata[REVIEW_REASON_KEY] ?? null,
            updated_at: s.updatedAt ?? null,
          })),
          null,
          2,
        ),
      );
      return 0;
    }
    for (const s of held) {
      out(`${s.id}  v${s.version}  ${s.slug}  ${s.name}${appliesOf(s) === 'always' ? '  (standing)' : ''}`);
      out(`    held: ${s.metadata[REVIEW_REASON_KEY] ?? 'no reason recorded'}`);
    }
    out(
      held.length
        ? `${held.length} skill(s) held for review for user ${userId}; approve with autoskill approve <id|slug>, reject with autoskill reject <id|slug>`
        : `nothing held for review for user ${userId}`,
    );
    return 0;
  } finally {
    await sdk.close();
  }
}
