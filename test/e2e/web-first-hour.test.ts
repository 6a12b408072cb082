import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { browserSuite, haveBrowser, launch, screenshot, serve, type Browser, type Served } from '../helpers/browser.js';
import { BANK } from '../fixtures/store-helpers.js';

/**
 * The page as a new user meets it, in real headless Chromium against the real `autoskill serve`
 * (offline, trusted mode, not admin): Common skills are read-only and offer a copy instead of
 * Edit and Delete; at phone widths (360-400 px) skill names stay readable; search scores read as
 * strong / partial / weak with the number on hover; the version diff leads with the instructions
 * and folds the metadata; offline is said once. Screenshots at 1280 and 390 px, light and dark,
 * go to test/artifacts/.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const USER_SKILL = `---
name: release-notes
description: Write release notes from a list of merged changes.
metadata:
  tags: "release, writing, changelog"
---

# Release notes

Group changes by area.
`;

let dir: string;
let served: Served;
let browser: Browser;
let commonId: string;
let mineId: string;

async function api(url: string, init: RequestInit = {}): Promise<any> {
  const res = await fetch(served.url + url, { ...init, headers: { 'x-autoskill-user': 'default', 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const body = await res.json();
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

beforeAll(async () => {
  if (!haveBrowser) return;
  dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-web-first-hour-'));
  // Common: the repo's five skills plus a real bank library (long names, several tags).
  const common = path.join(dir, 'store', 'Common');
  await mkdir(common, { recursive: true });
  await cp(path.join(ROOT, 'Skills/Common'), common, { recursive: true });
  await cp(path.join(BANK, 'Common', 'superpowers'), path.join(common, 'superpowers'), { recursive: true });
  [served, browser] = await Promise.all([serve(['--store', path.join(dir, 'store')], { cwd: dir }), launch()]);
  const list = await api('/v1/autoskill/skills?scope=common&limit=500');
  commonId = list.data.find((s: { name: string }) => s.name === 'Weekly status report').id;
  // One skill of the user's own, saved twice: v0.1.0, then v0.1.1 with one more rule.
  const imp = await api('/v1/autoskill/skills/import', { method: 'POST', body: JSON.stringify({ skill_md: USER_SKILL, name: 'release-notes' }) });
  mineId = imp.data[0].id;
  const md = (await api(`/v1/autoskill/skills/${mineId}/md`)).skill_md as string;
  await api(`/v1/autoskill/skills/${mineId}/md`, { method: 'PUT', body: JSON.stringify({ skill_md: md.replace('Group changes by area.', 'Group changes by area.\nNever use emoji.') }) });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function at(page: Page, width: number, scheme: 'light' | 'dark'): Promise<void> {
  await page.setViewportSize({ width, height: width < 600 ? 844 : 860 });
  await page.emulateMedia({ colorScheme: scheme });
}

/** Each visible skill name in the list: how wide it is drawn, and how wide its text is. */
async function nameWidths(page: Page): Promise<Array<{ name: string; shown: number; text: number; row: number }>> {
  return page.$$eval('.skill-row', (rows) =>
    rows.map((r) => {
      const n = r.querySelector('.name') as HTMLElement;
      return { name: n.textContent ?? '', shown: n.clientWidth, text: n.scrollWidth, row: (r as HTMLElement).clientWidth };
    }),
  );
}

describe.skipIf(!haveBrowser)(browserSuite('the first hour on the web page'), () => {
  test('a Common skill is read-only for a user: Copy to my skills instead of Edit and Delete; the copy is editable', async () => {
    const { page } = browser;
    await at(page, 390, 'light');
    await page.goto(`${served.url}/#/skills/${encodeURIComponent(commonId)}`);
    await page.waitForSelector('h1:has-text("Weekly status report")');
    const header = page.locator('.skill-header');
    expect(await header.getByRole('button', { name: 'Copy to my skills' }).isVisible()).toBe(true);
    expect(await header.getByRole('button', { name: /Delete/ }).count()).toBe(0);
    expect(await header.getByRole('button', { name: /Make (standing|task-bound)/ }).count()).toBe(0);
    expect(await page.getByRole('tab', { name: 'Edit' }).isVisible()).toBe(false);
    // The owner reads "Common", not "Common · Common" or "library:Common".
    expect(await header.locator('.pill.common').innerText()).toBe('Common');
    expect(await header.locator('.pill.readonly').innerText()).toBe('read-only');
    await page.getByRole('tab', { name: 'History' }).click();
    await page.waitForSelector('table.versions');
    expect(await page.getByRole('button', { name: /Roll back|Restore/ }).count()).toBe(0);
    await screenshot(page, 'first-hour-readonly-390-light');

    await header.getByRole('button', { name: 'Copy to my skills' }).click();
    await page.waitForFunction((id) => location.hash.startsWith('#/skills/') && !location.hash.includes(id) && document.querySelector('.pill.mine'), commonId);
    const copyHash = await page.evaluate(() => location.hash);
    expect(await page.locator('h1').innerText()).toBe('Weekly status report');
    expect(await page.getByRole('button', { name: 'Delete…' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Make standing' }).isVisible()).toBe(true);
    await page.getByRole('tab', { name: 'Edit' }).click();
    expect(await page.locator('textarea.editor').inputValue()).toContain('Weekly status report');
    await screenshot(page, 'first-hour-copy-390-light');
    // Copying again finds the first copy.
    await page.goto(`${served.url}/#/skills/${encodeURIComponent(commonId)}`);
    await page.getByRole('button', { name: 'Copy to my skills' }).click();
    await page.waitForFunction((h) => location.hash === h, copyHash);
    const mine = await api('/v1/autoskill/skills?scope=user');
    expect(mine.data.filter((s: { name: string }) => s.name === 'Weekly status report')).toHaveLength(1);
  });

  test('at 360-400 px the list keeps skill names readable, in light and dark', async () => {
    const { page } = browser;
    for (const [width, scheme] of [[390, 'light'], [390, 'dark'], [360, 'light']] as const) {
      await at(page, width, scheme);
      await page.goto(`${served.url}/#/skills?scope=common`);
      await page.waitForFunction(() => /\d+ skills/.test(document.querySelector('.count')?.textContent ?? '') && document.querySelector('.skill-row .name'));
      const rows = await nameWidths(page);
      expect(rows.length).toBeGreaterThan(5);
      for (const r of rows) {
        // Either the whole name fits, or it gets most of the row; never a letter and an ellipsis.
        expect(r.shown >= r.text - 1 || r.shown >= 0.6 * r.row, `${width}px ${r.name}: ${r.shown}px of ${r.text}px`).toBe(true);
      }
      // Nothing is wider than the screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await screenshot(page, `first-hour-skills-${width}-${scheme}`);
    }
    await at(page, 1280, 'dark');
    await page.goto(`${served.url}/#/skills?scope=common`);
    await page.waitForSelector('.skill-row .name');
    for (const r of await nameWidths(page)) expect(r.shown >= r.text - 1 || r.shown >= 0.4 * r.row, r.name).toBe(true);
    await screenshot(page, 'first-hour-skills-1280-dark');
  });

  test('search scores read as strong / partial / weak, with the number on hover', async () => {
    const { page } = browser;
    await at(page, 390, 'light');
    await page.goto(`${served.url}/#/skills?scope=common&q=${encodeURIComponent('write my weekly status report')}`);
    await page.waitForSelector('.skill-row .score-meter');
    const first = page.locator('.skill-row').first();
    expect(await first.locator('.name').innerText()).toBe('Weekly status report');
    const meter = first.locator('.score-meter');
    expect(await meter.locator('.word').innerText()).toMatch(/^(strong|partial)$/);
    expect(await meter.getAttribute('title')).toMatch(/^search score [01]\.\d{3}: (strong|partial) match$/);
    const words = await page.locator('.score-meter .word').allInnerTexts();
    expect(words.every((w) => ['strong', 'partial', 'weak'].includes(w))).toBe(true);
    // No raw score is printed in the rows.
    for (const text of await page.locator('.skill-row').allInnerTexts()) expect(text).not.toMatch(/\b0\.\d{3}\b/);
    await screenshot(page, 'first-hour-search-390-light');
  });

  test('the version diff shows the instructions first and folds the metadata', async () => {
    const { page } = browser;
    for (const [width, scheme] of [[390, 'dark'], [1280, 'light']] as const) {
      await at(page, width, scheme);
      await page.goto(`${served.url}/#/skills/${encodeURIComponent(mineId)}`);
      await page.getByRole('tab', { name: 'History' }).click();
      await page.waitForFunction(() => document.querySelector('.diff-stats')?.textContent?.startsWith('v0.1.0 → v0.1.1'));
      const body = page.locator('.diff > pre.diff-lines');
      expect(await body.locator('.dl.add').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('Never use emoji.')]));
      expect(await body.innerText()).not.toMatch(/version:|updated_at/);
      const meta = page.locator('details.meta-diff');
      expect(await meta.getAttribute('open')).toBeNull();
      expect(await meta.locator('summary').innerText()).toMatch(/^Metadata changed: .*version/);
      // body first: the metadata fold comes after the instructions' diff
      expect(await page.evaluate(() => {
        const pre = document.querySelector('.diff > pre.diff-lines')!;
        const det = document.querySelector('.diff details.meta-diff')!;
        return Boolean(pre.compareDocumentPosition(det) & Node.DOCUMENT_POSITION_FOLLOWING);
      })).toBe(true);
      await page.locator('.diff').scrollIntoViewIfNeeded();
      await screenshot(page, `first-hour-diff-${width}-${scheme}`);
    }
  });

  test('offline, the chat says so once and offers no disabled input or promise of learning', async () => {
    const { page } = browser;
    for (const [width, scheme] of [[390, 'light'], [1280, 'dark']] as const) {
      await at(page, width, scheme);
      await page.goto(`${served.url}/#/chat`);
      await page.waitForSelector('.banner.offline');
      await page.waitForSelector('.empty');
      const text = await page.locator('body').innerText();
      expect(text.match(/no upstream model/gi) ?? []).toHaveLength(1);
      expect(text).not.toMatch(/after the next turn it learns/i);
      expect(await page.locator('#chat-input').isVisible()).toBe(false);
      expect(await page.locator('.empty a', { hasText: 'Import & extract' }).isVisible()).toBe(true);
      await screenshot(page, `first-hour-offline-chat-${width}-${scheme}`);
    }
  });

  test('every view fits a 360 px screen without sideways scrolling', async () => {
    const { page } = browser;
    await at(page, 360, 'light');
    for (const route of ['#/chat', '#/skills?scope=all', `#/skills/${encodeURIComponent(mineId)}`, '#/import', '#/settings']) {
      await page.goto(`${served.url}/${route}`);
      await page.waitForSelector('main h1, main h2');
      await page.waitForLoadState('networkidle');
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(wide, route).toBeLessThanOrEqual(360);
    }
    await screenshot(page, 'first-hour-settings-360-light');
    await page.goto(`${served.url}/#/import`);
    await page.waitForSelector('main h1');
    await screenshot(page, 'first-hour-import-360-light');
  });

  test('no page errors', () => {
    expect(browser.errors).toEqual([]);
  });
});
