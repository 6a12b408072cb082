import { FsSkillStore } from '../../engine/index.js';
import { assertStoreDir, out, storeDirFrom } from '../common.js';
import { helpText, parseCommand } from '../options.js';
import { SPECS } from '../specs.js';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand(SPECS['normalize-ids'], argv);
  if (values.help) return (out(helpText(SPECS['normalize-ids'])), 0);
  // Rewrites ids in an existing store; a mistyped path is an error, not a new empty store.
  await assertStoreDir(storeDirFrom(values.store), values.store === undefined && process.env.AUTOSKILL_STORE === undefined);
  const store = new FsSkillStore({ root: storeDirFrom(values.store) });
  await store.open();
  try {
    const { scanned, changed, renamed } = await store.normalizeIds();
    for (const r of renamed) out(`replaced id ${JSON.stringify(r.from)} with ${r.to}`);
    out(`scanned ${scanned}, wrote ${changed} id(s)`);
    return 0;
  } finally {
    await store.close();
  }
}
