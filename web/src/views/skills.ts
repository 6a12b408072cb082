import type { HitView, Scope, SkillSummary } from '../api.js';
import type { App, View } from '../app.js';
import { formatCount, h, replace, uid } from '../dom.js';
import { libraryOf, ownerLabel } from '../owner.js';
import { scoreMeter } from '../score.js';
import { ArraySource, PagedSource, VirtualList, type RowSource } from './virtual-list.js';

/**
 * The skill browser: my skills, Common skills, or both; search (the API's search), a tag filter
 * and a count. The list is windowed and paged, so 5,000 skills stay fast.
 */

type Row = { skill: SkillSummary; score?: number };

const ROW_HEIGHT = 64;

function renderRow(row: Row): HTMLElement {
  const s = row.skill;
  const lib = libraryOf(s.owner);
  return h(
    'li',
    { class: 'vrow skill-row' },
    h(
      'a',
      { href: `#/skills/${encodeURIComponent(s.id)}`, class: 'skill-link' },
      h('span', { class: 'name', title: s.name }, s.name),
      h('span', { class: 'desc' }, s.description),
    ),
    h(
      'span',
      { class: 'row-pills' },
      row.score !== undefined ? scoreMeter(row.score) : null,
      h('span', { class: 'pill version' }, `v${s.version}`),
      s.review === 'pending' ? h('span', { class: 'pill held', title: 'held for review: never injected until you approve it' }, 'held for review') : null,
      s.applies === 'always' ? h('span', { class: 'pill standing', title: 'standing preference: applied in every conversation' }, 'standing') : null,
      lib ? h('span', { class: 'pill common', title: 'shared Common skill (read-only)' }, ownerLabel(s.owner)) : h('span', { class: 'pill mine' }, 'mine'),
      s.tags.slice(0, 2).map((t) => h('span', { class: 'pill tag' }, t)),
    ),
  );
}

export function parseSkillsQuery(hash: string): { scope: Scope; tag: string; q: string } {
  const q = new URLSearchParams(hash.split('?')[1] ?? '');
  const scope = q.get('scope');
  return { scope: scope === 'user' || scope === 'common' || scope === 'all' ? scope : 'user', tag: q.get('tag') ?? '', q: q.get('q') ?? '' };
}

export function skillsView(app: App, hash: string): View {
  const state = parseSkillsQuery(hash);
  let paged: PagedSource<Row> | null = null;
  let seq = 0;

  const count = h('p', { class: 'count', role: 'status', 'aria-live': 'polite' }, 'Loading…');
  // Learned skills waiting for approval are easy to miss in a long list: say so above it.
  const heldNote = h('p', { class: 'notice held-note', hidden: true });
  void app.api.held().then(
    (held) => {
      if (!held.length) return;
      heldNote.hidden = false;
      replace(heldNote, `${held.length} learned skill${held.length === 1 ? ' is' : 's are'} held for review and not injected. `, h('a', { href: '#/review' }, 'Review them'));
    },
    () => undefined,
  );
  const errorBox = h('p', { class: 'error', role: 'alert', hidden: true });
  const list = new VirtualList<Row>(new ArraySource<Row>([]), { rowHeight: ROW_HEIGHT, label: 'Skills', render: renderRow });

  // scope: a radio group (one tab stop, arrow keys move between options)
  const scopeName = uid('scope');
  const scopes: Array<[Scope, string]> = [
    ['user', 'My skills'],
    ['common', 'Common'],
    ['all', 'All'],
  ];
  const scopeGroup = h(
    'fieldset',
    { class: 'segmented' },
    h('legend', { class: 'sr-only' }, 'Which skills'),
    scopes.map(([value, label]) => {
      const id = uid('sc');
      const radio = h('input', { type: 'radio', name: scopeName, id, value, checked: state.scope === value });
      radio.addEventListener('change', () => {
        if (!radio.checked) return;
        state.scope = value;
        void loadTags();
        void reload();
      });
      return h('span', null, radio, h('label', { for: id }, label));
    }),
  );

  const searchInput = h('input', { type: 'search', id: uid('q'), value: state.q, placeholder: 'Search name, description, triggers…', autocomplete: 'off' });
  const tagsList = h('datalist', { id: uid('tags') });
  const tagInput = h('input', { type: 'text', id: uid('tag'), value: state.tag, list: tagsList.id, placeholder: 'any tag', autocomplete: 'off' });
  const clearTag = h('button', { type: 'button', class: 'small', 'aria-label': 'Clear tag filter', onClick: () => ((tagInput.value = ''), (state.tag = ''), void reload()) }, '×');

  const form = h(
    'form',
    {
      class: 'skill-filters',
      role: 'search',
      onSubmit: (e: Event) => {
        e.preventDefault();
        state.q = searchInput.value.trim();
        state.tag = tagInput.value.trim();
        void reload();
      },
    },
    h('div', { class: 'field grow' }, h('label', { for: searchInput.id }, 'Search'), searchInput),
    h('div', { class: 'field' }, h('label', { for: tagInput.id }, 'Tag'), h('div', { class: 'row tight' }, tagInput, clearTag), tagsList),
    h('button', { type: 'submit', class: 'primary' }, 'Apply'),
  );
  // A picked datalist entry fires `change`; filter at once.
  tagInput.addEventListener('change', () => {
    state.tag = tagInput.value.trim();
    void reload();
  });

  async function loadTags(): Promise<void> {
    try {
      const r = await app.api.tags(state.scope);
      replace(tagsList, r.data.map((t) => h('option', { value: t.tag }, `${t.count}`)));
    } catch {
      replace(tagsList);
    }
  }

  function syncHash(): void {
    const p = new URLSearchParams({ scope: state.scope });
    if (state.tag) p.set('tag', state.tag);
    if (state.q) p.set('q', state.q);
    history.replaceState(null, '', `#/skills?${p}`);
  }

  async function reload(): Promise<void> {
    const my = ++seq;
    paged?.dispose();
    paged = null;
    errorBox.hidden = true;
    count.textContent = 'Loading…';
    syncHash();
    try {
      let source: RowSource<Row>;
      let label: string;
      if (state.q) {
        const r = await app.api.search(state.q, { scope: state.scope, limit: 200, minScore: 0, ...(state.tag ? { tags: [state.tag] } : {}) });
        if (my !== seq) return;
        source = new ArraySource(r.data.map((hit: HitView) => ({ skill: hit.skill, score: hit.score })));
        label = `${formatCount(source.total)} result${source.total === 1 ? '' : 's'} for “${state.q}”${state.tag ? ` tagged ${state.tag}` : ''}${source.total === 200 ? ' (top 200)' : ''}`;
      } else {
        const tag = state.tag;
        const p = new PagedSource<Row>(
          async (offset, limit) => {
            const r = tag ? await app.api.skillsWithTag(tag, state.scope, offset, limit) : await app.api.listSkills(state.scope, offset, limit);
            return { total: r.total, data: r.data.map((skill) => ({ skill })) };
          },
          () => my === seq && list.refresh(),
          (err) => showError(err),
        );
        await p.start();
        if (my !== seq) return p.dispose();
        paged = p;
        source = p;
        label = `${formatCount(p.total)} skill${p.total === 1 ? '' : 's'}${tag ? ` tagged ${tag}` : ''}`;
      }
      count.textContent = label;
      list.setSource(source);
      if (source.total === 0) count.textContent += state.scope === 'user' && !state.q && !state.tag ? ' — none learned yet. Chat, or import skills.' : '';
    } catch (err) {
      if (my === seq) showError(err as Error);
    }
  }

  function showError(err: Error): void {
    errorBox.hidden = false;
    errorBox.textContent = `Could not load skills: ${err.message}`;
    count.textContent = '';
  }

  const el = h(
    'section',
    { class: 'skills-view panel', 'aria-labelledby': 'skills-h' },
    h('div', { class: 'row spread' }, h('h1', { id: 'skills-h', tabindex: -1 }, 'Skills'), h('a', { href: '#/import', class: 'button' }, 'Import skills…')),
    heldNote,
    scopeGroup,
    form,
    count,
    errorBox,
    list.el,
  );
  void loadTags();
  void reload();
  return { el, dispose: () => paged?.dispose() };
}
