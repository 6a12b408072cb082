import type { App, View } from '../app.js';
import { field, h, replace } from '../dom.js';
import { extractionCard, followJob, jobToExtraction } from './cards.js';

/**
 * Import skills (a zip of skill folders, or one SKILL.md) and "extract now" from pasted text.
 * Both work without an upstream model: extraction then uses the offline rule-based extractor.
 */

/**
 * Pasted text as chat messages: lines starting "User:" / "Assistant:" (also "Q:"/"A:", "用户："/
 * "助手：") start a new message; text without such markers is one user message.
 */
export function parseTranscript(text: string): Array<{ role: 'user' | 'assistant'; content: string }> {
  const marker = /^\s*(user|human|me|q|you|用户|assistant|ai|bot|a|model|助手)\s*[:：]\s?/i;
  const out: Array<{ role: 'user' | 'assistant'; content: string }> = [];
  let sawMarker = false;
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const m = marker.exec(line);
    if (m) {
      sawMarker = true;
      const who = m[1]!.toLowerCase();
      const role = ['assistant', 'ai', 'bot', 'a', 'model', '助手'].includes(who) ? 'assistant' : 'user';
      out.push({ role, content: line.slice(m[0].length) });
    } else if (out.length) {
      out.at(-1)!.content += `\n${line}`;
    } else if (line.trim()) {
      out.push({ role: 'user', content: line });
    }
  }
  if (!sawMarker) return text.trim() ? [{ role: 'user', content: text.trim() }] : [];
  return out.map((m) => ({ ...m, content: m.content.trim() })).filter((m) => m.content);
}

export function importView(app: App): View {
  const controllers = new Set<AbortController>();

  // ------------------------------------------------------------------------------- import
  const file = h('input', { type: 'file', accept: '.zip,.md,application/zip,text/markdown' });
  const overwrite = h('input', { type: 'checkbox', id: 'imp-overwrite' });
  const importBtn = h('button', { type: 'submit', class: 'primary' }, 'Import');
  const report = h('div', { class: 'import-report', 'aria-live': 'polite' });
  const importForm = h(
    'form',
    {
      class: 'card',
      onSubmit: (e: Event) => {
        e.preventDefault();
        void doImport();
      },
    },
    h('h2', null, 'Import skills'),
    h('p', { class: 'muted' }, 'A .zip with one or more skill folders (each with a SKILL.md), or a single SKILL.md. They become your skills.'),
    field('Skill file (.zip or SKILL.md)', file),
    h('div', { class: 'field inline' }, overwrite, h('label', { for: overwrite.id }, 'Replace skills that already exist (same id)')),
    importBtn,
    report,
  );

  async function doImport(): Promise<void> {
    const f = file.files?.[0];
    if (!f) {
      replace(report, h('p', { class: 'error', role: 'alert' }, 'Choose a .zip or SKILL.md file first.'));
      return;
    }
    const kind = /\.zip$/i.test(f.name) || f.type === 'application/zip' ? 'zip' : 'markdown';
    importBtn.disabled = true;
    replace(report, h('p', null, `Importing ${f.name}…`));
    try {
      const name = kind === 'markdown' ? folderNameFor(f.name) : undefined;
      const r = await app.api.importFile(f, kind, { overwrite: overwrite.checked, ...(name ? { name } : {}) });
      const problems = r.report.filter((x) => x.status !== 'imported');
      replace(
        report,
        h('p', { class: r.ok ? 'ok' : 'warn' }, `Imported ${r.imported_count} skill${r.imported_count === 1 ? '' : 's'}${problems.length ? `, ${problems.length} not imported` : ''}.`),
        r.data.length ? h('ul', null, r.data.map((s) => h('li', null, h('a', { href: `#/skills/${encodeURIComponent(s.id)}` }, s.name), ` v${s.version}`))) : null,
        problems.length ? h('ul', { class: 'violations' }, problems.slice(0, 50).map((p) => h('li', null, `${p.status}: ${p.path ?? p.id ?? ''} ${p.reason ?? ''}`))) : null,
      );
      app.announce(`Imported ${r.imported_count} skills`);
    } catch (err) {
      replace(report, h('p', { class: 'error', role: 'alert' }, `Import failed: ${(err as Error).message}`));
    } finally {
      importBtn.disabled = false;
    }
  }

  // ------------------------------------------------------------------------------- extract
  const text = h('textarea', { rows: 10, id: 'extract-text', placeholder: 'User: Write a report about our Q3 results.\nAssistant: Here is the report…\nUser: Don’t use markdown and always cite sources.' });
  const hint = h('input', { type: 'text', id: 'extract-hint', maxlength: 2000, placeholder: 'optional: what should be remembered' });
  const extractBtn = h('button', { type: 'submit', class: 'primary' }, 'Extract now');
  const result = h('div', { class: 'extract-result', 'aria-live': 'polite' });
  const extractForm = h(
    'form',
    {
      class: 'card',
      onSubmit: (e: Event) => {
        e.preventDefault();
        void doExtract();
      },
    },
    h('h2', null, 'Extract a skill from text'),
    h(
      'p',
      { class: 'muted' },
      app.offline
        ? 'No upstream model: the offline extractor runs. It learns stated rules and corrections ("always…", "don’t…", "from now on…"), not plain requests.'
        : app.caps?.llm.extractor === 'offline' || !app.caps
          ? 'Extraction: the offline rule-based extractor (no extraction model configured). It learns stated rules and corrections, not plain requests.'
          : `Extraction model: ${app.caps.llm.extractor}.`,
    ),
    field('Conversation or notes', text, 'Lines starting with "User:" and "Assistant:" are read as a conversation; other text as one message.'),
    field('Hint', hint),
    extractBtn,
    result,
  );

  async function doExtract(): Promise<void> {
    const messages = parseTranscript(text.value);
    if (!messages.length && !hint.value.trim()) {
      replace(result, h('p', { class: 'error', role: 'alert' }, 'Paste some text (or write a hint) first.'));
      return;
    }
    extractBtn.disabled = true;
    try {
      const job = await app.api.extractNow(messages, hint.value.trim() || undefined);
      const show = (e: Parameters<typeof extractionCard>[0]) => replace(result, extractionCard(e));
      show(jobToExtraction(job, 'extract_now'));
      const ac = new AbortController();
      controllers.add(ac);
      await followJob(app.api, job.job_id, 'extract_now', show, ac.signal);
      controllers.delete(ac);
    } catch (err) {
      replace(result, h('p', { class: 'error', role: 'alert' }, `Extraction failed: ${(err as Error).message}`));
    } finally {
      extractBtn.disabled = false;
    }
  }

  const el = h(
    'section',
    { class: 'import-view panel', 'aria-labelledby': 'import-h' },
    h('h1', { id: 'import-h', tabindex: -1 }, 'Import & extract'),
    h('div', { class: 'two-col' }, importForm, extractForm),
  );
  return { el, dispose: () => controllers.forEach((c) => c.abort()) };
}

/** A folder name for a single uploaded SKILL.md: from the file name unless it is just SKILL.md. */
function folderNameFor(fileName: string): string | undefined {
  const base = fileName.replace(/\.md$/i, '');
  if (/^skill$/i.test(base)) return undefined;
  const slug = base
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return slug || undefined;
}
