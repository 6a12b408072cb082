import { h } from '../dom.js';

/**
 * A windowed list: only the rows in view (plus a margin) exist in the DOM, so 5,000 skills cost
 * as much as 40. Rows have a fixed height. Data comes from a source that may not have every row
 * yet (`get` returns undefined → a placeholder row, and `want` asks for the range to be loaded).
 * Rows carry aria-setsize/aria-posinset so screen readers still know the list's real size.
 */

export interface RowSource<T> {
  readonly total: number;
  get(index: number): T | undefined;
  /** rows [from, to) are about to be shown */
  want(from: number, to: number): void;
}

export interface VirtualListOptions<T> {
  rowHeight: number;
  label: string;
  render(item: T, index: number): HTMLElement;
  overscan?: number;
}

export class VirtualList<T> {
  readonly el: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rows: HTMLUListElement;
  private source: RowSource<T>;
  private readonly opts: VirtualListOptions<T>;
  private frame = 0;
  private range = '';

  constructor(source: RowSource<T>, opts: VirtualListOptions<T>) {
    this.source = source;
    this.opts = opts;
    this.rows = h('ul', { class: 'vlist-rows', 'aria-label': opts.label });
    this.spacer = h('div', { class: 'vlist-spacer' }, this.rows);
    // The scroller is focusable so keyboard users can scroll it with the arrow keys.
    this.el = h('div', { class: 'vlist', tabindex: 0, role: 'region', 'aria-label': `${opts.label} (scrollable)` }, this.spacer);
    this.el.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(this.el);
  }

  setSource(source: RowSource<T>): void {
    this.source = source;
    this.el.scrollTop = 0;
    this.refresh();
  }

  /** Re-render now (data arrived or changed). */
  refresh(): void {
    this.range = '';
    this.draw();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const { rowHeight } = this.opts;
    const overscan = this.opts.overscan ?? 8;
    const total = this.source.total;
    this.spacer.style.height = `${total * rowHeight}px`;
    const view = this.el.clientHeight || 600;
    const first = Math.max(0, Math.floor(this.el.scrollTop / rowHeight) - overscan);
    const last = Math.min(total, Math.ceil((this.el.scrollTop + view) / rowHeight) + overscan);
    const key = `${first}:${last}:${total}`;
    if (key === this.range) return;
    this.range = key;
    this.source.want(first, last);
    const items: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      const item = this.source.get(i);
      const li = item === undefined ? h('li', { class: 'vrow placeholder' }, 'Loading…') : this.opts.render(item, i);
      li.setAttribute('aria-setsize', String(total));
      li.setAttribute('aria-posinset', String(i + 1));
      li.style.height = `${rowHeight}px`;
      items.push(li);
    }
    this.rows.style.transform = `translateY(${first * rowHeight}px)`;
    this.rows.replaceChildren(...items);
  }
}

/**
 * Rows fetched page by page on demand (offset/limit API), with at most one request per page in
 * flight. `onChange` fires when a page arrives.
 */
export class PagedSource<T> implements RowSource<T> {
  total = 0;
  private readonly pages = new Map<number, T[]>();
  private readonly loading = new Set<number>();
  private disposed = false;

  constructor(
    private readonly fetchPage: (offset: number, limit: number) => Promise<{ total: number; data: T[] }>,
    private readonly onChange: () => void,
    private readonly onError: (err: Error) => void,
    private readonly pageSize = 200,
  ) {}

  /** Load the first page (and learn the total). */
  async start(): Promise<void> {
    await this.load(0);
  }

  get(index: number): T | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  want(from: number, to: number): void {
    for (let p = Math.floor(from / this.pageSize); p <= Math.floor(Math.max(from, to - 1) / this.pageSize); p++) {
      if (!this.pages.has(p) && !this.loading.has(p) && p * this.pageSize < Math.max(this.total, 1)) void this.load(p);
    }
  }

  dispose(): void {
    this.disposed = true;
  }

  private async load(page: number): Promise<void> {
    this.loading.add(page);
    try {
      const r = await this.fetchPage(page * this.pageSize, this.pageSize);
      if (this.disposed) return;
      this.total = r.total;
      this.pages.set(page, r.data);
      this.onChange();
    } catch (err) {
      if (!this.disposed) this.onError(err as Error);
    } finally {
      this.loading.delete(page);
    }
  }
}

/** A source over rows already in memory (search results). */
export class ArraySource<T> implements RowSource<T> {
  constructor(private readonly items: T[]) {}
  get total(): number {
    return this.items.length;
  }
  get(index: number): T | undefined {
    return this.items[index];
  }
  want(): void {}
}
