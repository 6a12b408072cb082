import type { Skill } from './schema.js';

/**
 * Held skills. A learned skill that the poisoning scan flagged, or any learned skill while review
 * mode is on, is saved with `metadata.review: pending` (and the reason in `metadata.review_reason`):
 * it is stored, versioned and visible to its owner, but never retrieved or injected until the
 * owner approves it. Approval writes a new version without the marker; rejection deletes it.
 */
export const REVIEW_KEY = 'review';
export const REVIEW_REASON_KEY = 'review_reason';

export function isPending(skill: Pick<Skill, 'metadata'>): boolean {
  return skill.metadata[REVIEW_KEY]?.trim().toLowerCase() === 'pending';
}

/** The metadata with the review marker set (with a reason) or cleared. */
export function withReview(metadata: Record<string, string>, pending: boolean, reason?: string): Record<string, string> {
  const next = { ...metadata };
  delete next[REVIEW_KEY];
  delete next[REVIEW_REASON_KEY];
  if (pending) {
    next[REVIEW_KEY] = 'pending';
    if (reason) next[REVIEW_REASON_KEY] = reason.replace(/\s+/g, ' ').slice(0, 300);
  }
  return next;
}
