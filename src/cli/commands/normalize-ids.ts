import { FsSkillStore } from '../../engine/store/fs-store.js';
import { STORE_OPTIONS, out, parse, storeDirFrom } from '../common.js';

const HELP = `usage: autoskill normalize-ids [--store DIR]

Writes a deterministic id into every skill of the store whose SKILL.md has none, and replaces
ids the API cannot address (with "/", "\\", ".." or control characters) the same way.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, STORE_OPTIONS, false);
  if (values.help) return (out(HELP), 0);
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
