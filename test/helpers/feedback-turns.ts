import { afterEach } from 'vitest';
import { AutoSkill, type AutoSkillOptions } from '../../src/engine/autoskill.js';
import type { ChatMessage } from '../../src/engine/ports/chat.js';
import { tempDir } from '../fixtures/store-helpers.js';

/** A request, an answer, then the user's reply to it: the turn a learning job reads. */
export function afterAnswer(request: string, reply: string): ChatMessage[] {
  return [
    { role: 'user', content: request },
    { role: 'assistant', content: 'Sure.\n\n## Answer\n- one\n- two' },
    { role: 'user', content: reply },
  ];
}

/** An SDK on a fresh temporary store per test, closed and removed after each test. */
export function useTempSdk(prefix: string): (opts?: Omit<AutoSkillOptions, 'storeDir'>) => Promise<AutoSkill> {
  let sdk: AutoSkill | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await sdk?.close();
    await cleanup?.();
    sdk = undefined;
    cleanup = undefined;
  });
  return async (opts = {}) => {
    const t = await tempDir(prefix);
    cleanup = t.cleanup;
    sdk = await AutoSkill.open({ ...opts, storeDir: t.dir });
    return sdk;
  };
}
