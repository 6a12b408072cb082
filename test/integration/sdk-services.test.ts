import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { AutoSkill, type JobEvent } from '../../src/index.js';
import { AccessDeniedError, NotFoundError } from '../../src/engine/errors.js';

/**
 * The facade's front door (issue #14): the actor-first services of the SDK as a library user
 * calls them. Each case pins one rule of the policy module as seen through a service, so a
 * service that skipped the policy would fail here.
 */

let dir: string;
let sdk: AutoSkill;

const alice = { userId: 'alice' };
const bob = { userId: 'bob' };
const admin = { userId: 'root', admin: true };

const skill = (name: string, trigger: string) => ({
  name,
  description: `How the user wants ${trigger} handled.`,
  instructions: `# Goal\nHandle ${trigger}.\n\n# Constraints & Style\n- Always cite a source.`,
  triggers: [trigger],
});

const skillMd = (id: string, name: string) =>
  `---\nname: ${name}\ndescription: A pasted skill for tests.\nmetadata:\n  id: ${id}\n---\n\n# Goal\nSomething.\n`;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-services-'));
  sdk = await AutoSkill.open({ storeDir: dir });
});
afterEach(async () => {
  await sdk.close();
  await rm(dir, { recursive: true, force: true });
});

describe('skills service', () => {
  test("another user's skill looks missing; Common is read-only; admins see all", async () => {
    const mine = await sdk.skills.upsert(alice, skill('wind-report', 'wind power report'));
    const common = await sdk.skills.upsert(admin, skill('plain-text', 'plain text answers'), { owner: 'library:Common' });
    expect(sdk.skills.get(alice, mine.id)?.id).toBe(mine.id);
    expect(sdk.skills.get(bob, mine.id)).toBeUndefined();
    expect(sdk.skills.get(admin, mine.id)?.id).toBe(mine.id);
    expect(sdk.skills.list(bob, 'all').map((s) => s.id)).toEqual([common.id]);
    expect(sdk.skills.list(alice, 'user').map((s) => s.id)).toEqual([mine.id]);
    expect(sdk.skills.list({ admin: true }, 'all').map((s) => s.id).sort()).toEqual([mine.id, common.id].sort());
    // bob cannot edit, read versions of, export or delete alice's skill: it does not exist for him
    await expect(sdk.skills.upsert(bob, { ...skill('x', 'x'), id: mine.id })).rejects.toThrow(NotFoundError);
    await expect(sdk.skills.versions(bob, mine.id)).rejects.toThrow(NotFoundError);
    await expect(sdk.skills.history(bob, mine.id)).rejects.toThrow(NotFoundError);
    await expect(sdk.skills.export(bob, mine.id, 'md')).rejects.toThrow(NotFoundError);
    await expect(sdk.skills.delete(bob, mine.id)).rejects.toThrow(NotFoundError);
    await expect(sdk.skills.saveSkillMd(alice, common.id, skillMd(common.id, 'plain-text'))).rejects.toThrow(AccessDeniedError);
    expect(sdk.skills.get(alice, mine.id)?.version).toBe('0.1.0');
  });

  test('a pasted SKILL.md whose id is taken becomes a new skill; the other one is untouched', async () => {
    const bobs = await sdk.skills.upsert(bob, skill('bob-notes', 'meeting notes'));
    const created = await sdk.skills.createFromSkillMd(alice, skillMd(bobs.id, 'pasted-notes'), { kind: 'manual', trigger: 'test' });
    expect(created.id).not.toBe(bobs.id);
    expect(created.owner).toBe('user:alice');
    expect(sdk.skills.get(bob, bobs.id)?.name).toBe('bob-notes');
  });

  test('only admins import into Common or bring in a store tree', async () => {
    const text = skillMd('imported-one', 'imported-one');
    await expect(sdk.skills.importSkillMd(alice, text, { scope: 'common' })).rejects.toThrow(AccessDeniedError);
    await expect(sdk.skills.importTree(alice, dir, { layout: 'store' })).rejects.toThrow(AccessDeniedError);
    expect(sdk.skills.list({ admin: true }, 'all')).toEqual([]);
    const own = await sdk.skills.importSkillMd(alice, text, { scope: 'user', userId: 'alice' });
    expect(own.status).toBe('imported');
    const lib = await sdk.skills.importSkillMd(admin, skillMd('imported-two', 'imported-two'), { scope: 'common' });
    expect(lib.status).toBe('imported');
    expect(sdk.skills.list(bob, 'common').map((s) => s.name)).toEqual(['imported-two']);
  });

  test('change listeners hear only what their actor can see', async () => {
    const heard = { alice: [] as string[], bob: [] as string[], local: [] as string[] };
    const offs = [
      sdk.skills.onChange(alice, (c) => heard.alice.push(c.owner)),
      sdk.skills.onChange(bob, (c) => heard.bob.push(c.owner)),
      sdk.skills.onChange(undefined, (c) => heard.local.push(c.owner)),
    ];
    await sdk.skills.upsert(alice, skill('wind-report', 'wind power report'));
    await sdk.skills.upsert(admin, skill('plain-text', 'plain text answers'), { owner: 'library:Common' });
    for (const off of offs) off();
    expect(heard.alice).toEqual(['user:alice', 'library:Common']);
    expect(heard.bob).toEqual(['library:Common']);
    expect(heard.local).toEqual(['user:alice', 'library:Common']);
  });
});

describe('jobs service', () => {
  test("a user's learning job is invisible to another user and visible to admins", async () => {
    const bobEvents: JobEvent[] = [];
    const aliceEvents: JobEvent[] = [];
    const offs = [sdk.jobs.onEvent(bob, (e) => bobEvents.push(e)), sdk.jobs.onEvent(alice, (e) => aliceEvents.push(e))];
    const conversation = [
      { role: 'user', content: 'Write a short report on wind power.' },
      { role: 'assistant', content: 'Here is a report.' },
      { role: 'user', content: 'From now on, always cite a source for every claim in my reports.' },
    ];
    const job = await sdk.learning.extractNow(alice, conversation);
    expect(await sdk.jobs.wait(bob, job.id)).toBeUndefined();
    expect(await sdk.jobs.subscribe(bob, job.id)).toBeUndefined();
    const done = await sdk.jobs.wait(alice, job.id);
    expect(done?.state).toBe('completed');
    expect(await sdk.jobs.get(bob, job.id)).toBeUndefined();
    expect((await sdk.jobs.get(admin, job.id))?.id).toBe(job.id);
    expect((await sdk.jobs.list(alice)).map((j) => j.id)).toContain(job.id);
    expect(await sdk.jobs.list(bob)).toEqual([]);
    for (const off of offs) off();
    expect(aliceEvents.map((e) => e.job.id)).toContain(job.id);
    expect(bobEvents).toEqual([]);
  });
});

describe('retrieval service', () => {
  test('searches only what the actor may see and counts retrieval and injection itself', async () => {
    const mine = await sdk.skills.upsert(alice, skill('wind-report', 'wind power report'));
    const first = await sdk.retrieval.search(alice, 'write a wind power report', { minScore: 0 });
    expect(first.hits.map((h) => h.skill.id)).toContain(mine.id);
    const forBob = await sdk.retrieval.search(bob, 'write a wind power report', { minScore: 0 });
    expect(forBob.hits.map((h) => h.skill.id)).not.toContain(mine.id);
    const injected = first.context?.included.some((i) => i.id === mine.id) ? 1 : 0;
    expect(sdk.retrieval.usage(alice, mine.id)).toMatchObject({ retrieved: 1, injected });
    await sdk.retrieval.search(alice, 'write a wind power report', { minScore: 0 });
    expect(sdk.retrieval.usage(alice, mine.id)).toMatchObject({ retrieved: 2, injected: injected * 2 });
    // bob's search counted nothing against alice's skill
    expect(sdk.retrieval.usage(bob, mine.id)).toBeUndefined();
  });
});
