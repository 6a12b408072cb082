/**
 * A small Markdown reader for SKILL.md bodies: headings, paragraphs, fenced and indented code,
 * bullet and numbered lists (nested by indentation), block quotes, rules, GFM tables, and inline
 * code, bold, italic, strikethrough and links. It produces a plain data tree (tested in Node);
 * `renderMarkdown` turns the tree into DOM nodes with text nodes only, so no input can become
 * markup. Links keep only http(s), mailto and in-page targets; images are shown as links because
 * the page loads nothing from other origins.
 */

export type Inline =
  | { t: 'text'; text: string }
  | { t: 'code'; text: string }
  | { t: 'strong' | 'em' | 'del'; children: Inline[] }
  | { t: 'link'; href: string; children: Inline[] }
  | { t: 'br' };

export type Block =
  | { t: 'heading'; level: number; children: Inline[] }
  | { t: 'paragraph'; children: Inline[] }
  | { t: 'code'; lang: string; text: string }
  | { t: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { t: 'quote'; children: Block[] }
  | { t: 'table'; head: Inline[][]; rows: Inline[][][]; align: Array<'left' | 'center' | 'right' | null> }
  | { t: 'hr' };

/** Split SKILL.md into its YAML front matter (without the fences) and the body. */
export function splitFrontMatter(text: string): { frontMatter: string | null; body: string } {
  const m = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!m) return { frontMatter: null, body: text };
  return { frontMatter: m[1] ?? '', body: text.slice(m[0].length) };
}

export function safeHref(href: string): string | null {
  const h = href.trim();
  if (/^(https?:|mailto:)/i.test(h)) return h;
  if (h.startsWith('#')) return h;
  return null;
}

// ------------------------------------------------------------------------------------------ inline

const INLINE = /\\([\\`*_{}[\]()#+\-.!|~<>])|(`+)([\s\S]*?[^`])\2(?!`)|\*\*([\s\S]+?)\*\*|__([\s\S]+?)__|~~([\s\S]+?)~~|\*([^\s*](?:[\s\S]*?[^\s*])?)\*|(?<![\w])_([^\s_](?:[\s\S]*?[^\s_])?)_(?![\w])|!?\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)|<(https?:\/\/[^>\s]+)>|(https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"])|( {2,}|\\)\n/g;

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  const pushText = (s: string) => {
    if (!s) return;
    const prev = out.at(-1);
    if (prev?.t === 'text') prev.text += s;
    else out.push({ t: 'text', text: s });
  };
  for (const m of text.matchAll(INLINE)) {
    const i = m.index ?? 0;
    pushText(text.slice(last, i));
    last = i + m[0].length;
    if (m[1] !== undefined) pushText(m[1]);
    else if (m[2] !== undefined) out.push({ t: 'code', text: (m[3] ?? '').replace(/^ (.*) $/s, '$1') });
    else if (m[4] !== undefined || m[5] !== undefined) out.push({ t: 'strong', children: parseInline(m[4] ?? m[5] ?? '') });
    else if (m[6] !== undefined) out.push({ t: 'del', children: parseInline(m[6]) });
    else if (m[7] !== undefined || m[8] !== undefined) out.push({ t: 'em', children: parseInline(m[7] ?? m[8] ?? '') });
    else if (m[9] !== undefined) {
      const href = safeHref(m[10] ?? '');
      const label = parseInline(m[9] || (m[10] ?? ''));
      if (href) out.push({ t: 'link', href, children: label });
      else out.push(...label);
    } else if (m[11] !== undefined || m[12] !== undefined) {
      const url = (m[11] ?? m[12])!;
      out.push({ t: 'link', href: url, children: [{ t: 'text', text: url }] });
    } else if (m[13] !== undefined) out.push({ t: 'br' });
  }
  pushText(text.slice(last));
  return out;
}

// ------------------------------------------------------------------------------------------ blocks

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const HR = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const LIST_ITEM = /^( {0,12})([-*+]|\d{1,9}[.)])[ \t]+(.*)$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const TABLE_SEP = /^ {0,3}\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$/;

function cells(row: string): string[] {
  let r = row.trim();
  if (r.startsWith('|')) r = r.slice(1);
  if (r.endsWith('|') && !r.endsWith('\\|')) r = r.slice(0, -1);
  return r.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

function isBlockStart(line: string): boolean {
  return FENCE.test(line) || HEADING.test(line) || HR.test(line) || QUOTE.test(line) || LIST_ITEM.test(line);
}

export function parseMarkdown(text: string): Block[] {
  return parseLines(text.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').split('\n'));
}

function parseLines(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (!line.trim()) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1]!;
      const body: string[] = [];
      i++;
      while (i < lines.length && !new RegExp(`^ {0,3}${marker[0]}{${marker.length},}\\s*$`).test(lines[i]!)) body.push(lines[i++]!);
      i++; // the closing fence (or the end)
      blocks.push({ t: 'code', lang: fence[2] ?? '', text: body.join('\n') });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ t: 'heading', level: heading[1]!.length, children: parseInline(heading[2] ?? '') });
      i++;
      continue;
    }
    if (HR.test(line)) {
      blocks.push({ t: 'hr' });
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const inner: string[] = [];
      while (i < lines.length && lines[i]!.trim() && (QUOTE.test(lines[i]!) || !isBlockStart(lines[i]!))) {
        inner.push(QUOTE.exec(lines[i]!)?.[1] ?? lines[i]!);
        i++;
      }
      blocks.push({ t: 'quote', children: parseLines(inner) });
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      const parsed = parseList(lines, i);
      blocks.push(parsed.block);
      i = parsed.next;
      continue;
    }
    if (/^ {4,}\S/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && (/^ {4,}/.test(lines[i]!) || !lines[i]!.trim())) body.push(lines[i++]!.slice(4));
      while (body.length && !body.at(-1)!.trim()) body.pop();
      blocks.push({ t: 'code', lang: '', text: body.join('\n') });
      continue;
    }
    if (line.includes('|') && i + 1 < lines.length && TABLE_SEP.test(lines[i + 1]!) && lines[i + 1]!.includes('-')) {
      const head = cells(line);
      const align = cells(lines[i + 1]!).map((c) => (c.startsWith(':') && c.endsWith(':') ? 'center' : c.endsWith(':') ? 'right' : c.startsWith(':') ? 'left' : null));
      i += 2;
      const rows: Inline[][][] = [];
      while (i < lines.length && lines[i]!.trim() && lines[i]!.includes('|')) rows.push(cells(lines[i++]!).map(parseInline));
      blocks.push({ t: 'table', head: head.map(parseInline), rows, align });
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i]!.trim() && (para.length === 0 || !isBlockStart(lines[i]!))) para.push(lines[i++]!.trim());
    blocks.push({ t: 'paragraph', children: parseInline(para.join('\n')) });
  }
  return blocks;
}

function parseList(lines: string[], start: number): { block: Block; next: number } {
  const first = LIST_ITEM.exec(lines[start]!)!;
  const indent = first[1]!.length;
  const ordered = /\d/.test(first[2]!);
  const items: string[][] = [];
  let i = start;
  while (i < lines.length) {
    const line = lines[i]!;
    const m = LIST_ITEM.exec(line);
    if (m && m[1]!.length === indent && /\d/.test(m[2]!) === ordered) {
      items.push([m[3]!]);
      i++;
      continue;
    }
    if (!line.trim()) {
      // A blank line ends the list unless the next line continues it (indented or another item).
      const next = lines[i + 1];
      if (next !== undefined && (/^\s+\S/.test(next) || LIST_ITEM.exec(next)?.[1]?.length === indent)) {
        items.at(-1)!.push('');
        i++;
        continue;
      }
      break;
    }
    const lead = /^ */.exec(line)![0].length;
    if (lead > indent) {
      items.at(-1)!.push(line.slice(Math.min(lead, indent + 2)));
      i++;
      continue;
    }
    if (!isBlockStart(line)) {
      // a lazy continuation line of the item's paragraph
      items.at(-1)!.push(line.trim());
      i++;
      continue;
    }
    break;
  }
  const startNum = ordered ? Number.parseInt(first[2]!, 10) : 1;
  return { block: { t: 'list', ordered, start: startNum, items: items.map((it) => parseLines(it)) }, next: i };
}

// ------------------------------------------------------------------------------------------ DOM

function inlineNodes(items: Inline[]): Node[] {
  return items.map((n): Node => {
    switch (n.t) {
      case 'text':
        return document.createTextNode(n.text);
      case 'code': {
        const el = document.createElement('code');
        el.textContent = n.text;
        return el;
      }
      case 'br':
        return document.createElement('br');
      case 'link': {
        const a = document.createElement('a');
        a.href = n.href;
        if (!n.href.startsWith('#')) {
          a.target = '_blank';
          a.rel = 'noopener noreferrer';
        }
        a.append(...inlineNodes(n.children));
        return a;
      }
      default: {
        const el = document.createElement(n.t === 'strong' ? 'strong' : n.t === 'em' ? 'em' : 'del');
        el.append(...inlineNodes(n.children));
        return el;
      }
    }
  });
}

function blockNode(b: Block): Node {
  switch (b.t) {
    case 'heading': {
      // Skill headings sit under the page's own h1/h2: shift them down to keep the outline sane.
      const el = document.createElement(`h${Math.min(6, b.level + 2)}` as 'h3');
      el.append(...inlineNodes(b.children));
      return el;
    }
    case 'paragraph': {
      const p = document.createElement('p');
      p.append(...inlineNodes(b.children));
      return p;
    }
    case 'code': {
      const pre = document.createElement('pre');
      const code = document.createElement('code');
      if (b.lang) code.dataset.lang = b.lang;
      code.textContent = b.text;
      pre.append(code);
      return pre;
    }
    case 'list': {
      const el = document.createElement(b.ordered ? 'ol' : 'ul');
      if (b.ordered && b.start !== 1) (el as HTMLOListElement).start = b.start;
      for (const item of b.items) {
        const li = document.createElement('li');
        // A one-paragraph item renders inline, like most Markdown renderers.
        if (item.length === 1 && item[0]!.t === 'paragraph') li.append(...inlineNodes(item[0]!.children));
        else li.append(...item.map(blockNode));
        el.append(li);
      }
      return el;
    }
    case 'quote': {
      const q = document.createElement('blockquote');
      q.append(...b.children.map(blockNode));
      return q;
    }
    case 'table': {
      const wrap = document.createElement('div');
      wrap.className = 'table-wrap';
      const table = document.createElement('table');
      const thead = table.createTHead().insertRow();
      b.head.forEach((c, i) => {
        const th = document.createElement('th');
        th.scope = 'col';
        if (b.align[i]) th.style.textAlign = b.align[i]!;
        th.append(...inlineNodes(c));
        thead.append(th);
      });
      const tbody = table.createTBody();
      for (const row of b.rows) {
        const tr = tbody.insertRow();
        row.forEach((c, i) => {
          const td = tr.insertCell();
          if (b.align[i]) td.style.textAlign = b.align[i]!;
          td.append(...inlineNodes(c));
        });
      }
      wrap.append(table);
      return wrap;
    }
    case 'hr':
      return document.createElement('hr');
  }
}

export function renderMarkdown(text: string): DocumentFragment {
  const frag = document.createDocumentFragment();
  frag.append(...parseMarkdown(text).map(blockNode));
  return frag;
}
