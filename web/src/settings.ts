import type { Scope } from './api.js';
import type { KeyValue } from './sessions.js';

/**
 * Page settings, kept in localStorage. `null` means "the server's default" (the page does not
 * know the server's retrieval defaults and should not pin them). The API key is kept for the
 * browser session only unless the user asks to remember it on this device.
 */

export type ExtractMode = 'auto' | 'always' | 'never';

export interface Settings {
  /** trusted mode: who we are (sent as X-AutoSkill-User); empty = the server's default user */
  user: string;
  /** keyed mode */
  apiKey: string;
  rememberKey: boolean;
  scope: Scope;
  topK: number | null;
  minScore: number | null;
  extractMode: ExtractMode;
  turnLimit: number | null;
  /** chat model; empty = the server's default */
  model: string;
}

export const DEFAULT_SETTINGS: Settings = {
  user: '',
  apiKey: '',
  rememberKey: false,
  scope: 'all',
  topK: null,
  minScore: null,
  extractMode: 'auto',
  turnLimit: null,
  model: '',
};

const KEY = 'autoskill:settings';
const API_KEY = 'autoskill:api-key';

const SCOPES: readonly Scope[] = ['user', 'common', 'all'];
const MODES: readonly ExtractMode[] = ['auto', 'always', 'never'];

function intOrNull(v: unknown, min: number, max: number): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : null;
}

function numOrNull(v: unknown, min: number, max: number): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : null;
}

/** Anything read back from storage is checked field by field; bad values fall back to defaults. */
export function normalizeSettings(raw: unknown): Settings {
  const r = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  return {
    user: typeof r.user === 'string' ? r.user.trim().slice(0, 128) : '',
    apiKey: typeof r.apiKey === 'string' ? r.apiKey.trim() : '',
    rememberKey: r.rememberKey === true,
    scope: SCOPES.includes(r.scope as Scope) ? (r.scope as Scope) : 'all',
    topK: intOrNull(r.topK, 1, 20),
    minScore: numOrNull(r.minScore, 0, 1),
    extractMode: MODES.includes(r.extractMode as ExtractMode) ? (r.extractMode as ExtractMode) : 'auto',
    turnLimit: intOrNull(r.turnLimit, 1, 1000),
    model: typeof r.model === 'string' ? r.model.trim().slice(0, 256) : '',
  };
}

export function loadSettings(local: KeyValue, session: KeyValue): Settings {
  let stored: unknown = {};
  try {
    stored = JSON.parse(local.getItem(KEY) ?? '{}');
  } catch {
    stored = {};
  }
  const s = normalizeSettings(stored);
  s.apiKey = (s.rememberKey ? local.getItem(API_KEY) : session.getItem(API_KEY)) ?? '';
  return s;
}

export function saveSettings(local: KeyValue, session: KeyValue, s: Settings): void {
  const { apiKey, ...rest } = s;
  local.setItem(KEY, JSON.stringify(rest));
  if (s.rememberKey) {
    local.setItem(API_KEY, apiKey);
    session.removeItem(API_KEY);
  } else {
    session.setItem(API_KEY, apiKey);
    local.removeItem(API_KEY);
  }
}

/** The `autoskill` field of our chat requests. */
export function chatOptions(s: Settings, sessionId: string): Record<string, unknown> {
  return {
    return: true,
    // The page reports the turn itself (POST /v1/autoskill/turns) so that its own extraction
    // mode and turn limit apply; the proxy would use the server's.
    learn: false,
    scope: s.scope,
    session_id: sessionId,
    ...(s.topK !== null ? { top_k: s.topK } : {}),
    ...(s.minScore !== null ? { min_score: s.minScore } : {}),
  };
}
