import type { Api, Capabilities, Health } from './api.js';
import type { Settings } from './settings.js';

/** What every view gets: the API client, settings, what the server offers, and page services. */
export interface App {
  readonly api: Api;
  readonly settings: Settings;
  updateSettings(patch: Partial<Settings>): void;
  readonly health: Health | null;
  readonly caps: Capabilities | null;
  /** no upstream model: chat is unavailable, everything else works */
  readonly offline: boolean;
  /** the server wants an API key and we have none (or a wrong one) */
  readonly authProblem: string | null;
  /** the user the server sees us as */
  userId(): string;
  /** say something to screen readers (polite) */
  announce(text: string): void;
  navigate(hash: string): void;
  /** settings or identity changed */
  onChange(listener: () => void): () => void;
}

/** A mounted page section. */
export interface View {
  el: HTMLElement;
  dispose?(): void;
}
