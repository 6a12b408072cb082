/**
 * A tiny typed hyperscript helper. Every piece of text goes in as a text node, never as HTML, so
 * skill content, model output and error messages cannot inject markup.
 */

export type Child = Node | string | number | null | undefined | false | Child[];

type Listener = (event: Event) => void;

export interface Props {
  class?: string | undefined;
  /** `onClick`, `onInput`, ... : event listeners */
  [key: `on${string}`]: Listener | undefined;
  /** anything else: a DOM property when the element has one (value, checked, disabled), else an attribute */
  [key: string]: unknown;
}

/** Properties set as DOM properties rather than attributes (their attribute only sets the default). */
const PROPERTIES = new Set(['value', 'checked', 'selected', 'disabled', 'readOnly', 'hidden', 'indeterminate']);

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props) applyProps(el, props);
  append(el, children);
  return el;
}

export function applyProps(el: HTMLElement, props: Props): void {
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value as Listener);
    } else if (key === 'class') {
      el.className = String(value);
    } else if (PROPERTIES.has(key)) {
      (el as unknown as Record<string, unknown>)[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
}

export function append(parent: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Replace all children. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

let seq = 0;
/** A unique id for label/aria wiring. */
export function uid(prefix = 'id'): string {
  return `${prefix}-${++seq}`;
}

/** A labelled form field: `<label for>` + control, so screen readers announce the label. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  control.id ||= uid('f');
  const hintEl = hint ? h('small', { class: 'hint', id: uid('hint') }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintEl);
}

export function formatTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Save bytes or text as a download (object URL; nothing leaves the browser). */
export function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A modal confirmation using `<dialog>` (focus is trapped and restored by the browser; Escape
 * cancels). Resolves true only when the confirm button is pressed.
 */
export function confirmDialog(message: string, opts: { confirm?: string; danger?: boolean } = {}): Promise<boolean> {
  return new Promise((resolve) => {
    const titleId = uid('dlg');
    const ok = h('button', { type: 'submit', value: 'ok', class: opts.danger ? 'danger' : 'primary' }, opts.confirm ?? 'OK');
    const cancel = h('button', { type: 'submit', value: 'cancel' }, 'Cancel');
    const dialog = h(
      'dialog',
      { class: 'confirm', 'aria-labelledby': titleId },
      h('form', { method: 'dialog' }, h('p', { id: titleId }, message), h('div', { class: 'row end' }, cancel, ok)),
    );
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'ok');
      dialog.remove();
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
