import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { browserSuite, haveBrowser, launch, screenshot, serve, type Browser, type Served } from '../helpers/browser.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import { BANK } from '../fixtures/store-helpers.js';

/**
 * The web page in real headless Chromium against the real `autoskill serve` bin: chat streams
 * through our proxy, each answer's retrieval card shows what was injected, the extraction card
 * follows the learning job live (v0.1.0, then v0.1.1), sessions survive a reload and export;
 * the skill page edits with validation, diffs and rolls back; offline, the page says so and
 * still imports, extracts, browses, deletes and reads upstream's session files.
 */

const ANSWER = 'Sure. Here is a **draft**:\n\n- first point\n- second point';

let dir: string;
let up: FakeUpstream;
let online: Served;
let browser: Browser;

beforeAll(async () => {
  if (!haveBrowser) return;
  dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-web-e2e-'));
  // Slow chunks so the test can watch an answer arrive piece by piece.
  up = await startFakeUpstream({ reply: () => ({ content: ANSWER, chunkDelayMs: 250 }) });
  // No --model: chat goes to the upstream, learning uses the offline extractor.
  [online, browser] = await Promise.all([serve(['--store', path.join(dir, 'online'), '--upstream-base-url', up.url], { cwd: dir }), launch()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await online?.stop();
  await up?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function api(base: string, url: string, user: string, init: RequestInit = {}): Promise<any> {
  const res = await fetch(base + url, { ...init, headers: { 'x-autoskill-user': user, ...(init.headers ?? {}) } });
  return res.json();
}

/** Send a chat message and resolve with what the streaming bubble showed midway. */
async function send(page: Page, text: string, answers: number): Promise<string> {
  await page.fill('#chat-input', text);
  await page.keyboard.press('Enter');
  const partial = await page.waitForFunction(() => {
    const el = document.querySelector('.msg.assistant .streaming');
    return document.querySelector('.log')?.getAttribute('aria-busy') === 'true' && el?.textContent ? el.textContent : false;
  });
  const seen = (await partial.jsonValue()) as string;
  await page.waitForFunction((n) => document.querySelector('.log')?.getAttribute('aria-busy') === 'false' && document.querySelectorAll('.msg.assistant').length === n, answers);
  return seen;
}

/** Wait until turn `i`'s extraction card is final; returns its text. */
async function extractionFinal(page: Page, i: number): Promise<string> {
  const handle = await page.waitForFunction(
    (n) => {
      const card = document.querySelectorAll('.turn-cards')[n]?.querySelector('.extraction');
      const status = card?.querySelector('[data-status]')?.getAttribute('data-status');
      // A turn the learning policy skips is final at once ("Not scheduled").
      return status === 'completed' || status === 'failed' || /not scheduled/i.test(card?.textContent ?? '') ? card!.textContent : false;
    },
    i,
    { timeout: 30_000 },
  );
  return (await handle.jsonValue()) as string;
}

const retrievalText = (page: Page, i: number) => page.locator('.turn-cards').nth(i).locator('.retrieval').innerText();

describe.skipIf(!haveBrowser)(browserSuite('web page, online (fake upstream model)'), () => {
  test('chat streams; retrieval and extraction cards; v0.1.0 then v0.1.1; sessions survive a reload and export', async () => {
    const { page } = browser;
    await page.goto(`${online.url}/#/settings`);
    await page.getByLabel('User', { exact: true }).fill('alice');
    // A tiny store gives low scores; the default threshold would inject nothing.
    await page.getByLabel('Minimum score (0–1)').fill('0.01');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.waitForFunction(() => document.querySelector('.badges')?.textContent?.includes('user: alice'));
    await page.goto(`${online.url}/#/chat`);
    await page.waitForSelector('#chat-input:not([disabled])');

    // 1: a plain request. The answer streams; nothing to learn yet.
    const partial = await send(page, 'Write a report about self-evolving agents.', 1);
    const final = await page.locator('.msg.assistant').nth(0).locator('.bubble-body').innerText();
    expect(final).toContain('Here is a draft:');
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(ANSWER.length);
    expect(ANSWER.startsWith(partial)).toBe(true);
    expect(await page.locator('.msg.assistant strong').first().innerText()).toBe('draft');
    expect(await retrievalText(page, 0)).toContain('No skill injected');
    expect(await extractionFinal(page, 0)).toMatch(/completed[\s\S]*Nothing learned|Not scheduled/i);

    // 2: feedback → a skill is learned, v0.1.0 (its name is the extractor's choice)
    await send(page, "Don't hallucinate, cite sources.", 2);
    const second = await extractionFinal(page, 1);
    const learned = /Created\s*(.+?)\s*v0\.1\.0/.exec(second)?.[1] ?? '';
    expect(learned, second).not.toBe('');
    const name = learned.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

    // 3: the learned skill is injected (the card shows it with score and version) and updated to v0.1.1
    await send(page, 'Also use plain text, no markdown.', 3);
    const retrieval = await retrievalText(page, 2);
    expect(retrieval).toMatch(/1 skill injected/);
    // the score reads as a word; the number is in the tooltip
    expect(retrieval).toMatch(new RegExp(`${name}\\s*v0\\.1\\.0\\s*(strong|partial|weak)`));
    expect(await page.locator('.turn-cards').nth(2).locator('.retrieval .score-meter').first().getAttribute('title')).toMatch(/^search score \d\.\d{3}/);
    expect(await extractionFinal(page, 2)).toMatch(new RegExp(`Updated\\s*${name}\\s*v0\\.1\\.1`));
    await screenshot(page, 'web-chat');

    // The model really got the skill: a system message right before the conversation.
    const bodies = up.chatBodies();
    expect(bodies).toHaveLength(3);
    expect(bodies[0].messages.some((m: { role: string }) => m.role === 'system')).toBe(false);
    expect(bodies[2].messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining(learned) });
    expect(bodies[2].stream).toBe(true);
    // ... and learned it for alice, the user the page named.
    const skills = await api(online.url, '/v1/autoskill/skills', 'alice');
    expect(skills.data).toEqual([expect.objectContaining({ name: learned, version: '0.1.1', owner: 'user:alice' })]);

    // Sessions survive a reload, cards included.
    await page.reload();
    await page.waitForSelector('.msg.assistant');
    expect(await page.locator('.msg').count()).toBe(6);
    expect(await page.locator('.session').count()).toBe(1);
    expect(await page.locator('.session .title').innerText()).toBe('Write a report about self-evo...');
    expect(await page.locator('.turn-cards').nth(2).locator('.extraction').innerText()).toMatch(new RegExp(`Updated\\s*${name}\\s*v0\\.1\\.1`));

    // Export: a web_sessions v1 file with this session.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /^Export session/ }).click()]);
    const exported = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(exported).toMatchObject({ version: 1, user_id: 'alice', sessions: [{ meta: { title: 'Write a report about self-evo...' } }] });
    expect(exported.sessions[0].state.messages).toHaveLength(6);
    expect(exported.sessions[0].trace.turns[2].extraction).toMatchObject({ status: 'completed', upserted: [{ version: '0.1.1' }] });
  });

  test('skill page: a broken edit shows the error inline, a good one saves v0.1.2; diff; rollback', async () => {
    const { page } = browser;
    const learned = (await api(online.url, '/v1/autoskill/skills', 'alice')).data[0].name as string;
    await page.locator('.turn-cards').nth(2).locator('.extraction a', { hasText: learned }).click();
    await page.waitForSelector('.markdown h4');
    expect(await page.locator('h1').innerText()).toBe(learned);
    expect(await page.locator('.current-version').innerText()).toBe('v0.1.1');
    expect(await page.locator('.markdown').innerText()).toContain("Don't hallucinate, cite sources.");
    await screenshot(page, 'web-skill');

    await page.getByRole('tab', { name: 'Edit' }).click();
    const editor = page.locator('textarea.editor');
    const original = await editor.inputValue();
    expect(original).toContain('version: "0.1.1"');
    // Broken YAML (an unclosed quote on the name line): the live check flags it, the server refuses it, nothing changes.
    await editor.fill(original.replace(/^name: "?([^"\n]*)"?$/m, 'name: "$1'));
    await page.waitForFunction(() => document.querySelector('.problems')?.textContent?.includes('problem'));
    expect(await page.locator('.violations').innerText()).toMatch(/frontmatter.*YAML/i);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForSelector('.save-error .error');
    expect(await page.locator('.save-error').innerText()).toMatch(/Not saved: .*invalid/i);
    expect(await editor.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'web-edit-error');
    expect((await api(online.url, '/v1/autoskill/skills', 'alice')).data[0].version).toBe('0.1.1');

    // A valid edit saves as a new version.
    await editor.fill(original.replace('- Use plain text, no markdown.', '- Use plain text, no markdown.\n- Keep reports under two pages.'));
    await page.waitForSelector('.problems .ok');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('.status-line')?.textContent === 'Saved as v0.1.2.');
    expect(await page.locator('.current-version').innerText()).toBe('v0.1.2');

    // History: three versions; the default diff is previous → current and shows the added line.
    await page.getByRole('tab', { name: 'History' }).click();
    await page.waitForSelector('.diff-lines');
    expect(await page.locator('table.versions tbody tr').count()).toBe(3);
    expect(await page.locator('.dl.add').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('Keep reports under two pages.')]));
    // Any two versions: 0.1.0 → 0.1.2 also shows the rule learned in 0.1.1.
    await page.getByLabel('From', { exact: true }).selectOption('0.1.0');
    await page.waitForFunction(() => document.querySelector('.diff-stats')?.textContent?.startsWith('v0.1.0 → v0.1.2'));
    const wide = (await page.locator('.dl.add').allInnerTexts()).join('\n');
    expect(wide).toContain('Use plain text, no markdown.');
    expect(wide).toContain('Keep reports under two pages.');
    await screenshot(page, 'web-history');

    // Rollback (confirmed) restores 0.1.1's content as 0.1.3.
    await page.getByRole('button', { name: 'Roll back to previous version' }).click();
    await page.locator('dialog[open]').getByRole('button', { name: 'Restore' }).click();
    await page.waitForFunction(() => /Restored the previous version as v0\.1\.3/.test(document.querySelector('.status-line')?.textContent ?? ''));
    await page.waitForFunction(() => document.querySelectorAll('table.versions tbody tr').length === 4);
    await page.waitForFunction(() => document.querySelector('.diff-stats')?.textContent?.startsWith('v0.1.2 → v0.1.3'));
    expect((await page.locator('.dl.del').allInnerTexts()).join('\n')).toContain('Keep reports under two pages.');
    const md = await api(online.url, `/v1/autoskill/skills/${(await api(online.url, '/v1/autoskill/skills', 'alice')).data[0].id}/md`, 'alice');
    expect(md.version).toBe('0.1.3');
    expect(md.skill_md).not.toContain('Keep reports under two pages.');
    expect(md.skill_md).toContain('Use plain text, no markdown.');
  });

  test('every request stayed on our origin; no page errors', () => {
    const foreign = browser.requests.filter((u) => !u.startsWith(online.url) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(foreign).toEqual([]);
    expect(browser.requests.some((u) => /\/assets\/app-[A-Z0-9]+\.js$/.test(u))).toBe(true);
    expect(browser.errors).toEqual([]);
  });
});

describe.skipIf(!haveBrowser)(browserSuite('web page, offline (no upstream model)'), () => {
  let offline: Served;
  beforeAll(async () => {
    offline = await serve(['--store', path.join(dir, 'offline')], { cwd: dir });
  }, 60_000);
  afterAll(async () => {
    await offline?.stop();
  });

  test('says so plainly; imports, extracts from pasted text, browses, deletes, reads upstream sessions', async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${offline.url}/#/chat`);
    await page.waitForSelector('.banner.offline');
    expect(await page.locator('.banner').innerText()).toContain('No upstream model is configured, so chat is unavailable');
    expect(await page.locator('#chat-input').isDisabled()).toBe(true);
    expect(await page.locator('[data-testid=upstream-badge]').innerText()).toBe('offline — no model');
    await screenshot(page, 'web-offline-chat');

    // Import one SKILL.md upload.
    await page.goto(`${offline.url}/#/import`);
    const skillMd = '---\nname: release-notes\ndescription: Write release notes from a list of merged changes.\nmetadata:\n  tags: "release, writing"\n---\n\n# Release notes\n\nGroup changes by area. Never use emoji.\n';
    await page.getByLabel('Skill file (.zip or SKILL.md)').setInputFiles({ name: 'release-notes.md', mimeType: 'text/markdown', buffer: Buffer.from(skillMd) });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('.import-report')?.textContent?.includes('Imported 1 skill'));

    // Import a zip: a skill folder with a resource file.
    const zip = zipSync({
      'changelog/SKILL.md': strToU8('---\nname: changelog\ndescription: Keep a changelog in the project style.\n---\n\n# Changelog\n\nFollow references/style.md.\n'),
      'changelog/references/style.md': strToU8('# Style\n\nNewest entries first.\n'),
    });
    await page.getByLabel('Skill file (.zip or SKILL.md)').setInputFiles({ name: 'skills.zip', mimeType: 'application/zip', buffer: Buffer.from(zip) });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('.import-report')?.textContent?.includes('Imported 1 skill'));
    await page.locator('.import-report a', { hasText: 'changelog' }).click();
    await page.getByRole('tab', { name: 'Files' }).click();
    await page.getByRole('button', { name: 'references/style.md' }).click();
    await page.waitForFunction(() => document.querySelector('.file-view pre')?.textContent?.includes('Newest entries first.'));
    await page.goto(`${offline.url}/#/import`);

    // Extract now on pasted text: the offline extractor learns the stated rule.
    await page.getByLabel('Conversation or notes').fill('User: Write a report about our Q3 results.\nAssistant: Here is the report.\nUser: Always cite sources and never use tables.');
    await page.getByRole('button', { name: 'Extract now' }).click();
    const card = await page.waitForFunction(() => {
      const c = document.querySelector('.extract-result .extraction');
      const s = c?.querySelector('[data-status]')?.getAttribute('data-status');
      return s === 'completed' || s === 'failed' ? c!.textContent : false;
    });
    expect(await card.jsonValue()).toMatch(/completed[\s\S]*Created\s*\S[\s\S]*v0\.1\.0/i);
    await screenshot(page, 'web-offline-import');

    // Browse: both skills; tag filter; search (the API's search).
    await page.goto(`${offline.url}/#/skills`);
    await page.waitForFunction(() => document.querySelector('.count')?.textContent === '3 skills');
    await page.getByLabel('Tag', { exact: true }).fill('release');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForFunction(() => document.querySelector('.count')?.textContent === '1 skill tagged release');
    await page.getByLabel('Tag', { exact: true }).fill('');
    await page.getByLabel('Search', { exact: true }).fill('release notes merged changes');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForFunction(() => /results? for/.test(document.querySelector('.count')?.textContent ?? ''));
    expect(await page.locator('.skill-row .name').first().innerText()).toBe('release-notes');

    // Delete, with confirmation.
    await page.locator('.skill-row a', { hasText: 'release-notes' }).click();
    await page.waitForSelector('h1:has-text("release-notes")');
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.locator('dialog[open]').getByRole('button', { name: 'Delete' }).click();
    await page.waitForFunction(() => location.hash.startsWith('#/skills') && document.querySelector('.count')?.textContent === '2 skills');

    // Upstream's saved sessions (web_sessions v1) import and show their learned skill.
    await page.goto(`${offline.url}/#/chat`);
    await page.locator('#import-sessions').setInputFiles(path.join(BANK, 'web_sessions/u11.json'));
    await page.waitForFunction(() => document.querySelector('.sessions [role=status]')?.textContent?.includes('Imported 1 new'));
    await page.locator('.session-open', { hasText: '帮我写一个关于大模型自进化的政府报告。' }).click();
    await page.waitForSelector('.msg.assistant');
    expect(await page.locator('.msg').count()).toBe(4);
    expect(await page.locator('.turn-cards').nth(1).locator('.extraction').innerText()).toMatch(/completed[\s\S]*Learned\s*政府报告撰写-无幻觉-word兼容\s*v0\.1\.0/i);
    await screenshot(page, 'web-offline-sessions');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe.skipIf(!haveBrowser)(browserSuite('web page, API keys'), () => {
  let keyed: Served;
  const KEY = 'sk-test-0123456789abcdef';
  beforeAll(async () => {
    const keys = path.join(dir, 'keys.json');
    await writeFile(keys, JSON.stringify({ [KEY]: { user: 'keyuser' } }));
    keyed = await serve(['--store', path.join(dir, 'keyed'), '--api-keys', keys], { cwd: dir });
  }, 60_000);
  afterAll(async () => {
    await keyed?.stop();
  });

  test('asks for the key, then works with it (requests, job events) as the key’s user', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${keyed.url}/#/skills`);
    await page.waitForSelector('.banner.error');
    expect(await page.locator('.banner').innerText()).toContain('This server requires an API key');
    // Every view leads to the settings until a key works; there is no user field in keyed mode.
    expect(await page.locator('h1').innerText()).toBe('Settings');
    expect(await page.getByLabel('User', { exact: true }).count()).toBe(0);
    await page.getByLabel('API key').fill('wrong-key-0123456789');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.waitForFunction(() => document.querySelector('.banner')?.textContent?.includes('did not accept this API key'));
    await page.getByLabel('API key').fill(KEY);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.waitForFunction(() => document.querySelector('.badges')?.textContent?.includes('user: keyuser'));

    await page.goto(`${keyed.url}/#/import`);
    await page.getByLabel('Conversation or notes').fill('From now on, always answer in English.');
    await page.getByRole('button', { name: 'Extract now' }).click();
    const card = await page.waitForFunction(() => {
      const c = document.querySelector('.extract-result .extraction');
      const st = c?.querySelector('[data-status]')?.getAttribute('data-status');
      return st === 'completed' || st === 'failed' ? c!.textContent : false;
    });
    const text = (await card.jsonValue()) as string;
    expect(text).toMatch(/completed[\s\S]*Created\s*\S[\s\S]*v0\.1\.0/i);
    const mine = await (await fetch(`${keyed.url}/v1/autoskill/skills`, { headers: { authorization: `Bearer ${KEY}` } })).json();
    expect(mine.data).toEqual([expect.objectContaining({ owner: 'user:keyuser' })]);
    expect(text).toContain(mine.data[0].name);
    // The key stays in the tab's session storage, not in localStorage.
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain('sk-test');
    await page.close();
  });
});
