import { expect } from 'vitest';
import { extractOffline } from '../../src/engine/learn/offline-extractor.js';
import { afterAnswer } from './feedback-turns.js';

/** What the offline extractor learns from a request, an answer and the user's feedback on it. */
export function learnOffline(request: string, feedback: string) {
  return extractOffline({ messages: afterAnswer(request, feedback) }).candidate;
}

/** Learned as a rule bound to `family` (when given), its text holding `text`. */
export function expectTaskRule(request: string, feedback: string, family: string | undefined, text?: RegExp): void {
  const c = learnOffline(request, feedback);
  expect(c?.applies).toBe('task');
  if (family !== undefined) expect(c?.family).toBe(family);
  if (text) expect(c!.instructions).toMatch(text);
}

/** Learned as a standing preference. */
export function expectStanding(request: string, feedback: string): void {
  expect(learnOffline(request, feedback)?.applies).toBe('always');
}
