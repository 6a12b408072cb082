import type { SkillDetail, VersionRow, Violation } from '../api.js';
import type { App, View } from '../app.js';
import { confirmDialog, download, formatTime, h, replace, uid } from '../dom.js';
import { diffStats, versionDiff, type DiffRow } from '../diff.js';
import { canEdit, libraryOf, ownerLabel } from '../owner.js';
import { renderMarkdown, splitFrontMatter } from '../markdown.js';

/**
 * One skill: the rendered SKILL.md, an editor (validated as you type; the server validates again
 * on save and the version goes up), version history with a diff between any two versions and
 * rollback, the resource files, export and delete.
 */

type Tab = 'overview' | 'edit' | 'history' | 'files';

function sourceText(src: VersionRow['source']): string {
  if (!src?.kind) return '';
  if (src.kind === 'rollback') return `rollback to v${src.ref ?? '?'}`;
  return [src.kind, src.trigger].filter(Boolean).join(' · ');
}

export function skillView(app: App, id: string): View {
  let skill: SkillDetail | null = null;
  let tab: Tab = 'overview';
  let disposed = false;
  /** a Common skill for a non-admin: offer a copy instead of edit, rollback, delete and standing */
  let readOnly = false;

  const header = h('header', { class: 'skill-header' });
  const status = h('p', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
  const panels: Record<Tab, HTMLElement> = {
    overview: h('div', { class: 'tabpanel' }),
    edit: h('div', { class: 'tabpanel' }),
    history: h('div', { class: 'tabpanel' }),
    files: h('div', { class: 'tabpanel' }),
  };
  const labels: Record<Tab, string> = { overview: 'SKILL.md', edit: 'Edit', history: 'History', files: 'Files' };
  const tabs = (Object.keys(panels) as Tab[]).map((t) => {
    const b = h('button', { type: 'button', role: 'tab', id: uid('tab'), class: 'tab', onClick: () => show(t) }, labels[t]);
    panels[t].setAttribute('role', 'tabpanel');
    panels[t].setAttribute('aria-labelledby', b.id);
    panels[t].id = uid('panel');
    b.setAttribute('aria-controls', panels[t].id);
    return [t, b] as const;
  });
  const tablist = h('div', { role: 'tablist', 'aria-label': 'Skill sections', class: 'tabs' }, tabs.map(([, b]) => b));
  tablist.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const shown = tabs.filter(([, b]) => !b.hidden);
    const i = shown.findIndex(([t]) => t === tab);
    const next = shown[(i + (e.key === 'ArrowRight' ? 1 : shown.length - 1)) % shown.length]!;
    show(next[0]);
    next[1].focus();
  });

  function show(t: Tab): void {
    tab = t;
    for (const [name, b] of tabs) {
      const on = name === t;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      panels[name].hidden = !on;
    }
    if (t === 'history') void renderHistory();
    if (t === 'files') void renderFiles();
  }

  // ------------------------------------------------------------------------------- header
  function renderHeader(s: SkillDetail): void {
    const lib = libraryOf(s.owner);
    replace(
      header,
      h('nav', { 'aria-label': 'Breadcrumb', class: 'crumbs' }, h('a', { href: '#/skills' }, 'Skills'), ' / ', h('span', null, s.slug || s.name)),
      h('div', { class: 'row spread' },
        h('h1', { id: 'skill-h', tabindex: -1 }, s.name),
        h('div', { class: 'row' },
          h('button', { type: 'button', onClick: () => void exportZip() }, 'Export .zip'),
          h('button', { type: 'button', onClick: () => skill && download(`${skill.slug || 'SKILL'}.md`, skill.skill_md ?? '', 'text/markdown') }, 'Export SKILL.md'),
          readOnly
            ? h('button', { type: 'button', class: 'primary', title: 'Common skills are read-only; a copy is yours to edit', onClick: () => void copyToMine() }, 'Copy to my skills')
            : h('button', { type: 'button', class: 'danger', onClick: () => void remove() }, 'Delete…'),
        ),
      ),
      h('p', { class: 'row-pills' },
        h('span', { class: 'pill version current-version' }, `v${s.version}`),
        lib !== null ? h('span', { class: 'pill common' }, ownerLabel(s.owner)) : h('span', { class: 'pill mine' }, 'my skill'),
        readOnly ? h('span', { class: 'pill readonly', title: 'only an admin may change Common skills' }, 'read-only') : null,
        s.review === 'pending' ? h('span', { class: 'pill held', title: 'never injected until you approve it' }, 'held for review') : null,
        s.applies === 'always'
          ? h('span', { class: 'pill standing', title: 'injected in every conversation, whatever the request' }, 'standing: applies always')
          : h('span', { class: 'pill task', title: 'injected when a request matches it' }, 'task-bound'),
        readOnly ? null : h('button', { type: 'button', class: 'small', onClick: () => void toggleApplies() }, s.applies === 'always' ? 'Make task-bound' : 'Make standing'),
        s.tags.map((t) => h('a', { class: 'pill tag', href: `#/skills?scope=${lib ? 'common' : 'user'}&tag=${encodeURIComponent(t)}` }, t)),
        s.updated_at ? h('span', { class: 'muted small' }, `updated ${formatTime(Date.parse(s.updated_at))}`) : null,
      ),
      s.review === 'pending' ? heldNotice(s) : null,
      h('p', { class: 'description' }, s.description),
    );
  }

  /** A held skill: why it was held, and the two ways out (approve, or delete to reject). */
  function heldNotice(s: SkillDetail): HTMLElement {
    const reason = s.metadata.review_reason || 'no reason recorded';
    return h(
      'div',
      { class: 'notice held-notice', role: 'note', 'aria-label': 'Held for review' },
      h('p', null, h('strong', null, 'Held for review. '), 'This learned skill is never injected until you approve it.'),
      h('p', { class: 'held-reason' }, `Reason: ${reason}`),
      readOnly
        ? null
        : h('div', { class: 'row' },
            h('button', { type: 'button', class: 'primary', onClick: () => void approve() }, 'Approve'),
            h('button', { type: 'button', class: 'danger', onClick: () => void remove() }, 'Reject (delete)…'),
          ),
    );
  }

  function renderOverview(s: SkillDetail): void {
    const { frontMatter, body } = splitFrontMatter(s.skill_md ?? '');
    replace(
      panels.overview,
      s.triggers.length ? h('p', { class: 'triggers' }, h('strong', null, 'Triggers: '), s.triggers.join(' · ')) : null,
      frontMatter !== null ? h('details', { class: 'frontmatter' }, h('summary', null, 'Front matter (YAML)'), h('pre', null, h('code', null, frontMatter))) : null,
      h('div', { class: 'markdown' }, renderMarkdown(body)),
    );
  }

  // ------------------------------------------------------------------------------- editor
  const editor = h('textarea', { class: 'editor', spellcheck: false, rows: 24, id: uid('ed'), 'aria-describedby': '' });
  const problems = h('div', { class: 'problems', id: uid('problems'), 'aria-live': 'polite' });
  const saveError = h('div', { class: 'save-error', role: 'alert' });
  const saveBtn = h('button', { type: 'submit', class: 'primary' }, 'Save');
  const revertBtn = h('button', { type: 'button', onClick: () => skill && ((editor.value = skill.skill_md ?? ''), void check(), replace(saveError)) }, 'Revert');
  editor.setAttribute('aria-describedby', `${problems.id}`);
  let checkTimer = 0;
  let checkSeq = 0;
  editor.addEventListener('input', () => {
    clearTimeout(checkTimer);
    checkTimer = window.setTimeout(() => void check(), 350);
  });

  function showViolations(list: Violation[], heading: string): void {
    // Only errors block a save; warnings (e.g. upstream-dialect keys) are shown under the OK line.
    const errors = list.filter((v) => v.level !== 'warning');
    editor.setAttribute('aria-invalid', String(errors.length > 0));
    const item = (v: Violation) =>
      h('li', { class: v.level === 'warning' ? 'warning' : 'error' }, v.level === 'warning' ? 'warning: ' : '', h('code', null, v.field), ' ', v.message, v.fix ? h('span', { class: 'muted small' }, ` (fix: ${v.fix})`) : null);
    if (!list.length) {
      replace(problems, h('p', { class: 'ok' }, '✓ Valid SKILL.md'));
      return;
    }
    const head = errors.length ? h('p', { class: 'warn' }, heading) : h('p', { class: 'ok' }, `✓ Valid SKILL.md (${list.length} warning${list.length === 1 ? '' : 's'})`);
    replace(problems, head, h('ul', { class: 'violations' }, [...errors, ...list.filter((v) => v.level === 'warning')].map(item)));
  }

  async function check(): Promise<Violation[]> {
    const my = ++checkSeq;
    try {
      const r = await app.api.validate(editor.value, skill?.slug);
      const errors = r.violations.filter((v) => v.level !== 'warning');
      if (my === checkSeq) showViolations(r.violations, `${errors.length} problem${errors.length === 1 ? '' : 's'} found:`);
      return errors;
    } catch {
      return [];
    }
  }

  async function save(): Promise<void> {
    if (!skill) return;
    saveBtn.disabled = true;
    replace(saveError);
    status.textContent = 'Saving…';
    try {
      const saved = await app.api.saveSkillMd(skill.id, editor.value);
      await load();
      status.textContent = `Saved as v${saved.version}.`;
    } catch (err) {
      status.textContent = '';
      const violations = await check();
      replace(
        saveError,
        h('p', { class: 'error' }, `Not saved: ${(err as Error).message}`),
        violations.length ? h('p', { class: 'muted small' }, 'Fix the problems listed above and save again.') : null,
      );
      editor.focus();
    } finally {
      saveBtn.disabled = false;
    }
  }

  panels.edit.append(
    h(
      'form',
      { class: 'edit-form', onSubmit: (e: Event) => (e.preventDefault(), void save()) },
      h('label', { for: editor.id }, 'SKILL.md'),
      editor,
      problems,
      saveError,
      h('div', { class: 'row' }, saveBtn, revertBtn, h('span', { class: 'muted small' }, 'Saving creates a new version; the old one stays in the history.')),
    ),
  );

  // ------------------------------------------------------------------------------- history
  const diffBox = h('div', { class: 'diff', 'aria-live': 'polite' });
  async function renderHistory(): Promise<void> {
    if (!skill) return;
    let versions: VersionRow[];
    try {
      versions = await app.api.versions(skill.id);
    } catch (err) {
      replace(panels.history, h('p', { class: 'error' }, `Could not load the history: ${(err as Error).message}`));
      return;
    }
    const opts = (selected: string) => versions.map((v) => h('option', { value: v.version, selected: v.version === selected }, `v${v.version}${v.is_current ? ' (current)' : ''}`));
    const current = versions.find((v) => v.is_current)?.version ?? versions.at(-1)?.version ?? '';
    const ci = versions.findIndex((v) => v.version === current);
    const previous = versions[ci - 1]?.version ?? versions[0]?.version ?? '';
    const from = h('select', { id: uid('from') }, opts(previous));
    const to = h('select', { id: uid('to') }, opts(current));
    const update = () => void showDiff(from.value, to.value);
    from.addEventListener('change', update);
    to.addEventListener('change', update);
    const table = h(
      'table',
      { class: 'versions' },
      h('caption', { class: 'sr-only' }, 'Versions, oldest first'),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Version'), h('th', { scope: 'col' }, 'Saved'), h('th', { scope: 'col' }, 'How'), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')))),
      h(
        'tbody',
        null,
        versions.map((v) =>
          h(
            'tr',
            { class: v.is_current ? 'current' : '' },
            h('td', null, `v${v.version}`, v.is_current ? h('span', { class: 'pill current' }, 'current') : null),
            h('td', null, formatTime(Date.parse(v.at))),
            h('td', null, sourceText(v.source)),
            h('td', null, v.is_current || readOnly ? null : h('button', { type: 'button', class: 'small', onClick: () => void rollback(v.version) }, `Restore v${v.version}`)),
          ),
        ),
      ),
    );
    replace(
      panels.history,
      readOnly
        ? null
        : h('div', { class: 'row' },
            h('button', { type: 'button', disabled: versions.length < 2, onClick: () => void rollback(undefined) }, 'Roll back to previous version'),
            h('span', { class: 'muted small' }, 'A rollback is saved as a new version, so nothing is lost.'),
          ),
      table,
      h('h2', { class: 'h3' }, 'Compare versions'),
      versions.length < 2
        ? h('p', { class: 'muted' }, 'Only one version so far.')
        : h('div', { class: 'row' }, h('label', { for: from.id }, 'From'), from, h('label', { for: to.id }, 'To'), to),
      diffBox,
    );
    if (versions.length >= 2) update();
    else replace(diffBox);
  }

  async function showDiff(from: string, to: string): Promise<void> {
    if (!skill) return;
    if (from === to) {
      replace(diffBox, h('p', { class: 'muted' }, 'Same version: no differences.'));
      return;
    }
    try {
      const [a, b] = await Promise.all([app.api.readVersion(skill.id, from), app.api.readVersion(skill.id, to)]);
      const { body, meta, metaKeys } = versionDiff(a.skill_md, b.skill_md);
      const stats = diffStats(body);
      replace(
        diffBox,
        h('p', { class: 'diff-stats' }, `v${from} → v${to}: `, h('span', { class: 'added' }, `+${stats.added}`), ' ', h('span', { class: 'removed' }, `−${stats.removed}`), ' lines of instructions'),
        stats.added + stats.removed === 0
          ? h('p', { class: 'muted' }, 'The instructions are identical; only metadata changed.')
          : diffLines(body, `Changes to the instructions from v${from} to v${to}`),
        metaKeys.length || meta.some((r) => r.kind === 'add' || r.kind === 'del')
          ? h('details', { class: 'meta-diff' },
              h('summary', null, `Metadata changed${metaKeys.length ? `: ${metaKeys.join(', ')}` : ''}`),
              diffLines(meta, `Front matter changes from v${from} to v${to}`),
            )
          : null,
      );
    } catch (err) {
      replace(diffBox, h('p', { class: 'error' }, `Could not compare: ${(err as Error).message}`));
    }
  }

  function diffLines(rows: DiffRow[], label: string): HTMLElement {
    return h(
      'pre',
      { class: 'diff-lines', 'aria-label': label },
      rows.map((r) =>
        h(
          'div',
          { class: `dl ${r.kind}` },
          h('span', { class: 'sign', 'aria-hidden': 'true' }, r.kind === 'add' ? '+' : r.kind === 'del' ? '−' : r.kind === 'hunk' ? '⋯' : ' '),
          r.kind === 'add' ? h('span', { class: 'sr-only' }, 'added: ') : r.kind === 'del' ? h('span', { class: 'sr-only' }, 'removed: ') : null,
          r.kind === 'hunk' ? '' : r.text,
        ),
      ),
    );
  }

  async function rollback(version: string | undefined): Promise<void> {
    if (!skill) return;
    const what = version ? `v${version}` : 'the previous version';
    if (!(await confirmDialog(`Restore ${what} of "${skill.name}"? It is saved as a new version.`, { confirm: 'Restore' }))) return;
    try {
      const restored = await app.api.rollback(skill.id, version);
      await load();
      await renderHistory();
      status.textContent = `Restored ${what} as v${restored.version}.`;
    } catch (err) {
      status.textContent = `Rollback failed: ${(err as Error).message}`;
    }
  }

  // ------------------------------------------------------------------------------- files
  async function renderFiles(): Promise<void> {
    if (!skill) return;
    const paths = skill.resource_paths;
    if (!paths.length) {
      replace(panels.files, h('p', { class: 'muted' }, 'No resource files (scripts/, references/, assets/).'));
      return;
    }
    replace(panels.files, h('p', null, 'Loading files…'));
    try {
      const exp = await app.api.exportFiles(skill.id);
      const viewer = h('div', { class: 'file-view', 'aria-live': 'polite' });
      const open = (p: string) => {
        if (p in exp.binary_files) {
          const bytes = Uint8Array.from(atob(exp.binary_files[p]!), (c) => c.charCodeAt(0));
          replace(viewer, h('h3', null, p), h('p', null, `Binary file, ${bytes.length} bytes. `, h('button', { type: 'button', onClick: () => download(p.split('/').pop() ?? 'file', bytes, 'application/octet-stream') }, 'Download')));
        } else {
          replace(viewer, h('h3', null, p), h('pre', null, h('code', null, exp.files[p] ?? '')));
        }
      };
      replace(
        panels.files,
        h('ul', { class: 'file-list' }, paths.map((p) => h('li', null, h('button', { type: 'button', class: 'link', onClick: () => open(p) }, p)))),
        viewer,
      );
    } catch (err) {
      replace(panels.files, h('p', { class: 'error' }, `Could not load the files: ${(err as Error).message}`));
    }
  }

  // ------------------------------------------------------------------------------- actions
  async function exportZip(): Promise<void> {
    if (!skill) return;
    try {
      download(`${skill.slug || skill.id}.zip`, await app.api.exportZip(skill.id), 'application/zip');
    } catch (err) {
      status.textContent = `Export failed: ${(err as Error).message}`;
    }
  }

  async function toggleApplies(): Promise<void> {
    if (!skill) return;
    const next = skill.applies === 'always' ? 'task' : 'always';
    try {
      await app.api.setApplies(skill.id, next);
      app.announce(next === 'always' ? `${skill.name} now applies in every conversation` : `${skill.name} now applies when a task matches`);
      await load();
    } catch (err) {
      status.textContent = `Could not change it: ${(err as Error).message}`;
    }
  }

  async function approve(): Promise<void> {
    if (!skill) return;
    try {
      const live = await app.api.approve(skill.id);
      await load();
      status.textContent = `Approved: live as v${live.version}.`;
      app.announce(`${live.name} approved`);
      header.querySelector<HTMLElement>('h1')?.focus();
    } catch (err) {
      status.textContent = `Could not approve it: ${(err as Error).message}`;
    }
  }

  async function copyToMine(): Promise<void> {
    if (!skill) return;
    status.textContent = 'Copying…';
    try {
      const r = await app.api.copySkill(skill.id);
      app.announce(r.already_copied ? `${skill.name} is already in your skills` : `Copied ${skill.name} to your skills`);
      app.navigate(`#/skills/${encodeURIComponent(r.data.id)}`);
    } catch (err) {
      status.textContent = `Copy failed: ${(err as Error).message}`;
    }
  }

  async function remove(): Promise<void> {
    if (!skill) return;
    if (!(await confirmDialog(`Delete the skill "${skill.name}"? Its history is kept on the server.`, { confirm: 'Delete', danger: true }))) return;
    try {
      await app.api.deleteSkill(skill.id);
      app.announce(`Deleted ${skill.name}`);
      app.navigate('#/skills');
    } catch (err) {
      status.textContent = `Delete failed: ${(err as Error).message}`;
    }
  }

  async function load(): Promise<void> {
    try {
      const s = await app.api.skill(id);
      if (disposed) return;
      const firstLoad = skill === null;
      skill = s;
      readOnly = !canEdit(s.owner, app.caps?.admin === true);
      // Read-only: no editor at all (it would only fail on save).
      tabs.find(([t]) => t === 'edit')![1].hidden = readOnly;
      if (readOnly && tab === 'edit') show('overview');
      renderHeader(s);
      renderOverview(s);
      editor.value = s.skill_md ?? '';
      replace(saveError);
      void check();
      // A tab opened before the skill arrived is filled now.
      if (tab === 'files') void renderFiles();
      else if (tab === 'history' && firstLoad) void renderHistory();
    } catch (err) {
      replace(header, h('nav', { class: 'crumbs' }, h('a', { href: '#/skills' }, 'Skills')), h('h1', { tabindex: -1 }, 'Skill not available'), h('p', { class: 'error', role: 'alert' }, (err as Error).message));
      tablist.hidden = true;
      for (const p of Object.values(panels)) p.hidden = true;
    }
  }

  const el = h('section', { class: 'skill-view panel', 'aria-labelledby': 'skill-h' }, header, status, tablist, Object.values(panels));
  show('overview');
  void load();
  return {
    el,
    dispose() {
      disposed = true;
      clearTimeout(checkTimer);
    },
  };
}
