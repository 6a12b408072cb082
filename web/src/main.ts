import { Api, ApiError, type Capabilities, type Health } from './api.js';
import type { App, View } from './app.js';
import { h, replace } from './dom.js';
import { DEFAULT_USER_ID } from '../../src/engine/turn/default-user.js';
import { loadSettings, saveSettings, type Settings } from './settings.js';
import { chatView } from './views/chat.js';
import { importView } from './views/import.js';
import { reviewView } from './views/review.js';
import { settingsView } from './views/settings.js';
import { skillView } from './views/skill.js';
import { skillsView } from './views/skills.js';

/**
 * The page shell: top bar with navigation and server status, a hash router (#/chat, #/skills,
 * #/skills/<id>, #/review, #/import, #/settings), and the App context the views share.
 */

const NAV: Array<[string, string]> = [
  ['#/chat', 'Chat'],
  ['#/skills', 'Skills'],
  ['#/review', 'Review'],
  ['#/import', 'Import & extract'],
  ['#/settings', 'Settings'],
];

class Page implements App {
  readonly api: Api;
  settings: Settings;
  health: Health | null = null;
  caps: Capabilities | null = null;
  offline = false;
  authProblem: string | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly announcer = h('div', { class: 'sr-only', 'aria-live': 'polite', role: 'status' });
  private readonly main = h('main', { id: 'main', tabindex: -1 });
  private readonly nav = h('nav', { class: 'mainnav', 'aria-label': 'Main' });
  private readonly badges = h('div', { class: 'badges' });
  private readonly banner = h('div', { class: 'banner', role: 'status' });
  private view: View | null = null;
  private routed = false;

  constructor() {
    this.settings = loadSettings(window.localStorage, window.sessionStorage);
    this.api = new Api(() => ({ user: this.settings.user || undefined, apiKey: this.settings.apiKey || undefined }));
  }

  userId(): string {
    return this.caps?.user ?? (this.settings.user || DEFAULT_USER_ID);
  }

  announce(text: string): void {
    // Clear first so repeating the same words is announced again.
    this.announcer.textContent = '';
    setTimeout(() => (this.announcer.textContent = text), 50);
  }

  navigate(hash: string): void {
    if (location.hash === hash) this.route();
    else location.hash = hash;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  updateSettings(patch: Partial<Settings>): void {
    const identity =
      (patch.user !== undefined && patch.user !== this.settings.user) || (patch.apiKey !== undefined && patch.apiKey !== this.settings.apiKey);
    this.settings = { ...this.settings, ...patch };
    saveSettings(window.localStorage, window.sessionStorage, this.settings);
    const done = () => {
      for (const l of this.listeners) l();
      this.renderChrome();
      this.announce('Settings saved');
    };
    // A new identity: ask the server who we are now, then show the page again for that user.
    if (identity) {
      void this.connect().then(() => {
        this.route();
        done();
      });
    } else done();
  }

  /** Ask the server what it offers and who we are. */
  async connect(): Promise<void> {
    try {
      this.health = await this.api.health();
      this.offline = this.health.upstream === 'offline';
    } catch (err) {
      this.health = null;
      this.authProblem = null;
      this.caps = null;
      this.banner.textContent = `The server is not reachable: ${(err as Error).message}`;
      return;
    }
    try {
      this.caps = await this.api.capabilities();
      this.offline = !this.caps.chat.available;
      this.authProblem = null;
    } catch (err) {
      this.caps = null;
      this.authProblem =
        err instanceof ApiError && err.status === 401
          ? this.settings.apiKey
            ? `The server did not accept this API key (${err.message}).`
            : 'This server requires an API key. Enter it below.'
          : err instanceof ApiError && err.code === 'invalid_user'
            ? `${err.message}. Choose another user id.`
            : `Could not read the server's capabilities: ${(err as Error).message}`;
    }
  }

  renderChrome(): void {
    const current = location.hash.split('?')[0] || '#/chat';
    replace(
      this.nav,
      NAV.map(([href, label]) =>
        h('a', { href, 'aria-current': current === href || (href === '#/skills' && current.startsWith('#/skills/')) ? 'page' : undefined }, label),
      ),
    );
    const model = this.offline ? 'offline — no model' : `model: ${this.settings.model || this.caps?.llm.model || 'default'}`;
    replace(
      this.badges,
      h('span', { class: 'badge', title: 'who the server sees' }, `user: ${this.userId()}`),
      h('span', { class: this.offline ? 'badge warn' : 'badge ok', 'data-testid': 'upstream-badge' }, model),
    );
    if (!this.health) {
      this.banner.hidden = false;
    } else if (this.authProblem) {
      this.banner.hidden = false;
      this.banner.className = 'banner error';
      this.banner.textContent = this.authProblem;
    } else if (this.offline) {
      this.banner.hidden = false;
      this.banner.className = 'banner offline';
      this.banner.textContent =
        'No upstream model is configured, so chat is unavailable. You can still browse, edit and import skills, and extract skills from pasted text with the offline extractor.';
    } else {
      this.banner.hidden = true;
    }
  }

  route(): void {
    const hash = location.hash || '#/chat';
    const path = hash.split('?')[0]!;
    this.view?.dispose?.();
    let view: View;
    if (this.authProblem && path !== '#/settings') {
      view = settingsView(this);
    } else if (path.startsWith('#/skills/')) {
      view = skillView(this, decodeURIComponent(path.slice('#/skills/'.length)));
    } else if (path === '#/skills') {
      view = skillsView(this, hash);
    } else if (path === '#/review') {
      view = reviewView(this);
    } else if (path === '#/import') {
      view = importView(this);
    } else if (path === '#/settings') {
      view = settingsView(this);
    } else {
      view = chatView(this);
    }
    this.view = view;
    replace(this.main, view.el);
    this.renderChrome();
    // After the first render, move focus to the new view's heading so screen readers follow.
    if (this.routed) view.el.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true });
    this.routed = true;
    document.title = `${view.el.querySelector('h1')?.textContent || 'autoskill'} · autoskill`;
  }

  async start(root: HTMLElement): Promise<void> {
    replace(
      root,
      h(
        'header',
        { class: 'topbar' },
        h('a', { class: 'brand', href: '#/chat' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, 'AS'), 'autoskill'),
        this.nav,
        this.badges,
      ),
      this.banner,
      this.main,
      this.announcer,
    );
    this.banner.hidden = true;
    await this.connect();
    window.addEventListener('hashchange', () => this.route());
    this.route();
    root.setAttribute('aria-busy', 'false');
  }
}

const root = document.getElementById('app');
if (root) void new Page().start(root);
