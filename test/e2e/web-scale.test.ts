import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { browserSuite, haveBrowser, launch, screenshot, serve, type Browser, type Served } from '../helpers/browser.js';
import { BANK } from '../fixtures/store-helpers.js';

/**
 * The skill browser with the real bank (~4,800 skills: ConvSkill + Common copied into the
 * store's Common/) in headless Chromium: the count is right, the list is windowed (a few dozen
 * rows in the DOM, not thousands), scrolling to the very end shows the last skill, search and the
 * tag filter work, and the page stays responsive (a bounded "did not hang" check, no timing).
 */


let dir: string;
let served: Served;
let browser: Browser;

beforeAll(async () => {
  if (!haveBrowser) return;
  dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-web-scale-'));
  const common = path.join(dir, 'store', 'Common');
  await mkdir(common, { recursive: true });
  await cp(path.join(BANK, 'Common'), common, { recursive: true });
  await cp(path.join(BANK, 'ConvSkill'), common, { recursive: true });
  [served, browser] = await Promise.all([serve(['--store', path.join(dir, 'store')], { cwd: dir, timeoutMs: 110_000 }), launch()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Resolves once the page has painted a frame; throws when it does not within the bound. */
async function responsive(page: Browser['page'], boundMs = 10_000): Promise<void> {
  await page.evaluate(
    (bound) =>
      new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('the page did not paint a frame: it hangs')), bound);
        requestAnimationFrame(() => requestAnimationFrame(() => (clearTimeout(t), resolve())));
      }),
    boundMs,
  );
}

describe.skipIf(!haveBrowser)(browserSuite('skill browser with ~5,000 skills'), () => {
  test('count, windowed list, scroll to the end, search and tag filter', async () => {
    const { page } = browser;
    const api = (await (await fetch(`${served.url}/v1/autoskill/skills?scope=common&limit=1`)).json()) as { total: number };
    expect(api.total).toBeGreaterThan(4500);
    const last = (await (await fetch(`${served.url}/v1/autoskill/skills?scope=common&limit=1&offset=${api.total - 1}`)).json()) as { data: Array<{ name: string }> };

    await page.goto(`${served.url}/#/skills?scope=common`);
    await page.waitForSelector('.skill-row');
    expect(await page.locator('.count').innerText()).toBe(`${api.total.toLocaleString('en-US')} skills`);
    await responsive(page);
    expect(await page.locator('.vrow').count()).toBeLessThan(80);
    await screenshot(page, 'web-skills-5k');

    // Scroll through the whole list in steps, then to the very end.
    for (let f = 0.1; f < 1; f += 0.1) {
      await page.evaluate((x) => {
        const v = document.querySelector('.vlist')!;
        v.scrollTop = v.scrollHeight * x;
      }, f);
      await responsive(page);
    }
    await page.evaluate(() => {
      const v = document.querySelector('.vlist')!;
      v.scrollTop = v.scrollHeight;
    });
    await page.waitForFunction(() => document.querySelectorAll('.skill-row').length > 0 && !document.querySelector('.vrow.placeholder'));
    await responsive(page);
    const lastRow = page.locator('.vrow').last();
    expect(await lastRow.getAttribute('aria-posinset')).toBe(String(api.total));
    expect(await lastRow.getAttribute('aria-setsize')).toBe(String(api.total));
    expect(await lastRow.locator('.name').innerText()).toBe(last.data[0]!.name);
    expect(await page.locator('.vrow').count()).toBeLessThan(80);

    // Search over all of them (the API's search).
    await page.getByLabel('Search', { exact: true }).fill('plot matplotlib chart');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForFunction(() => /results? for/.test(document.querySelector('.count')?.textContent ?? ''));
    await responsive(page);
    expect(await page.locator('.skill-row .score-meter').count()).toBeGreaterThan(0);
    const first = (await page.locator('.skill-row .name').first().innerText()).toLowerCase();
    expect(first).toMatch(/plot|chart|matplotlib|graph|visual/);

    // Tag filter (most used tag in the bank), without a query.
    const tags = (await (await fetch(`${served.url}/v1/autoskill/tags?scope=common&limit=1`)).json()) as { data: Array<{ tag: string; count: number }> };
    const top = tags.data[0]!;
    await page.getByLabel('Search', { exact: true }).fill('');
    await page.getByLabel('Tag', { exact: true }).fill(top.tag);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForFunction((want) => document.querySelector('.count')?.textContent === want, `${top.count.toLocaleString('en-US')} skills tagged ${top.tag}`);
    await responsive(page);
    await screenshot(page, 'web-skills-5k-tag');
    expect(browser.errors).toEqual([]);
  });
});
