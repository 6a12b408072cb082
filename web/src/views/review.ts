import type { HeldSkill } from '../api.js';
import type { App, View } from '../app.js';
import { confirmDialog, formatCount, h, replace } from '../dom.js';

/**
 * Review: the user's learned skills held for review, with why each was held, and Approve (it
 * goes live as a new version) or Reject (it is deleted). A skill is held when the poisoning scan
 * flagged it, or when the server runs in review mode; until approved it is never injected.
 * Usually a handful, so a plain list (no windowing); every action is a button in reading order.
 */

export function reviewView(app: App): View {
  let disposed = false;
  const count = h('p', { class: 'count', role: 'status', 'aria-live': 'polite' }, 'Loading…');
  const list = h('ul', { class: 'held-list', 'aria-label': 'Skills held for review' });
  const heading = h('h1', { id: 'review-h', tabindex: -1 }, 'Review');
  const mode =
    app.caps?.learning?.review === true
      ? h('p', { class: 'notice', 'data-testid': 'review-mode' }, 'Review mode is on: every skill this server learns waits here until you approve it.')
      : null;

  function item(s: HeldSkill): HTMLElement {
    const li = h(
      'li',
      { class: 'card held-item', 'data-id': s.id },
      h('h2', { class: 'h3' }, h('a', { href: `#/skills/${encodeURIComponent(s.id)}` }, s.name)),
      h('p', { class: 'row-pills' },
        h('span', { class: 'pill version' }, `v${s.version}`),
        s.applies === 'always'
          ? h('span', { class: 'pill standing', title: 'once approved, injected in every conversation' }, 'standing')
          : h('span', { class: 'pill task', title: 'once approved, injected when a request matches it' }, 'task-bound'),
        h('span', { class: 'pill held' }, 'held for review'),
      ),
      h('p', { class: 'desc' }, s.description),
      h('p', { class: 'held-reason' }, `Reason: ${s.review_reason || 'no reason recorded'}`),
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'primary', 'aria-label': `Approve ${s.name}`, onClick: () => void approve(s, li) }, 'Approve'),
        h('button', { type: 'button', class: 'danger', 'aria-label': `Reject ${s.name} (delete it)`, onClick: () => void reject(s, li) }, 'Reject…'),
      ),
    );
    return li;
  }

  function setCount(n: number): void {
    count.textContent = n
      ? `${formatCount(n)} learned skill${n === 1 ? '' : 's'} held for review. None is injected until approved.`
      : 'Nothing is held for review.';
  }

  /** After an item leaves, keep the keyboard where it was: the next item's Approve, else the heading. */
  function removeItem(li: HTMLElement): void {
    const next = (li.nextElementSibling ?? li.previousElementSibling) as HTMLElement | null;
    li.remove();
    setCount(list.children.length);
    (next?.querySelector<HTMLElement>('button.primary') ?? heading).focus();
  }

  async function approve(s: HeldSkill, li: HTMLElement): Promise<void> {
    try {
      const live = await app.api.approve(s.id);
      app.announce(`${s.name} approved: live as v${live.version}`);
      removeItem(li);
    } catch (err) {
      li.querySelector('.item-error')?.remove();
      li.append(h('p', { class: 'error item-error', role: 'alert' }, `Could not approve it: ${(err as Error).message}`));
    }
  }

  async function reject(s: HeldSkill, li: HTMLElement): Promise<void> {
    if (!(await confirmDialog(`Reject "${s.name}"? It is deleted and never injected.`, { confirm: 'Reject', danger: true }))) return;
    try {
      await app.api.deleteSkill(s.id);
      app.announce(`${s.name} rejected`);
      removeItem(li);
    } catch (err) {
      li.querySelector('.item-error')?.remove();
      li.append(h('p', { class: 'error item-error', role: 'alert' }, `Could not reject it: ${(err as Error).message}`));
    }
  }

  async function load(): Promise<void> {
    try {
      const held = await app.api.held();
      if (disposed) return;
      replace(list, held.map(item));
      setCount(held.length);
    } catch (err) {
      count.textContent = '';
      replace(list, h('li', { class: 'error', role: 'alert' }, `Could not load the skills held for review: ${(err as Error).message}`));
    }
  }

  const el = h(
    'section',
    { class: 'review-view panel', 'aria-labelledby': 'review-h' },
    heading,
    h('p', { class: 'muted' },
      'A learned skill is held when the safety scan finds something a preference never needs (instructions to ignore other instructions, links, requests to run tools), or when the server runs in review mode. ',
      'Approve it to let it in; reject it to delete it.',
    ),
    mode,
    count,
    list,
  );
  void load();
  return { el, dispose: () => void (disposed = true) };
}
