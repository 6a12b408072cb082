import type { Scope } from '../api.js';
import type { App, View } from '../app.js';
import { field, h } from '../dom.js';
import { DEFAULT_USER_ID } from '../../../src/engine/turn/default-user.js';
import type { ExtractMode, Settings } from '../settings.js';

/** Who we are (user or API key), retrieval knobs, learning policy, chat model. */

function optionalNumber(input: HTMLInputElement): number | null {
  const v = input.value.trim();
  if (!v) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

export function settingsView(app: App): View {
  const s = app.settings;
  const keyed = app.caps?.auth === 'api_keys' || app.authProblem !== null;

  const user = h('input', { type: 'text', value: s.user, placeholder: app.caps?.user ?? DEFAULT_USER_ID, autocomplete: 'username', maxlength: 128 });
  const apiKey = h('input', { type: 'password', value: s.apiKey, autocomplete: 'off', placeholder: 'sk-…' });
  const remember = h('input', { type: 'checkbox', id: 'remember-key', checked: s.rememberKey });
  const scope = h(
    'select',
    null,
    (
      [
        ['all', 'My skills + Common'],
        ['user', 'My skills only'],
        ['common', 'Common only'],
      ] as Array<[Scope, string]>
    ).map(([v, label]) => h('option', { value: v, selected: s.scope === v }, label)),
  );
  const topK = h('input', { type: 'number', min: 1, max: 20, step: 1, value: s.topK ?? '', placeholder: 'server default' });
  const minScore = h('input', { type: 'number', min: 0, max: 1, step: 0.01, value: s.minScore ?? '', placeholder: 'server default' });
  const mode = h(
    'select',
    null,
    (
      [
        ['auto', 'auto — every N turns'],
        ['always', 'always — every turn'],
        ['never', 'never — only "extract now"'],
      ] as Array<[ExtractMode, string]>
    ).map(([v, label]) => h('option', { value: v, selected: s.extractMode === v }, label)),
  );
  const turnLimit = h('input', { type: 'number', min: 1, max: 1000, step: 1, value: s.turnLimit ?? '', placeholder: 'server default' });
  const modelList = h('datalist', { id: 'model-list' });
  const model = h('input', { type: 'text', value: s.model, list: modelList.id, placeholder: app.caps?.llm.model ?? 'server default' });
  const saved = h('p', { role: 'status', class: 'muted' });

  if (!app.offline && !app.authProblem) {
    app.api
      .models()
      .then((ids) => modelList.replaceChildren(...ids.map((id) => h('option', { value: id }))))
      .catch(() => undefined);
  }

  function submit(e: Event): void {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    if (!form.reportValidity()) return;
    const patch: Partial<Settings> = {
      user: user.value.trim(),
      apiKey: apiKey.value.trim(),
      rememberKey: remember.checked,
      scope: scope.value as Scope,
      topK: optionalNumber(topK),
      minScore: optionalNumber(minScore),
      extractMode: mode.value as ExtractMode,
      turnLimit: optionalNumber(turnLimit),
      model: model.value.trim(),
    };
    app.updateSettings(patch);
    saved.textContent = 'Settings saved.';
  }

  const caps = app.caps;
  const el = h(
    'section',
    { class: 'settings-view panel', 'aria-labelledby': 'settings-h' },
    h('h1', { id: 'settings-h', tabindex: -1 }, 'Settings'),
    h(
      'form',
      { class: 'settings-form', onSubmit: submit },
      h(
        'fieldset',
        null,
        h('legend', null, 'Identity'),
        keyed
          ? [
              field('API key', apiKey, 'This server requires an API key; the key decides your user.'),
              h('div', { class: 'field inline' }, remember, h('label', { for: remember.id }, 'Remember the key on this device (otherwise until the tab closes)')),
              app.authProblem ? h('p', { class: 'error', role: 'alert' }, app.authProblem) : null,
            ]
          : field('User', user, 'The server trusts this id (no API keys configured). Skills and sessions are kept per user.'),
      ),
      h(
        'fieldset',
        null,
        h('legend', null, 'Retrieval'),
        field('Skill scope', scope),
        field('Top K (skills injected at most)', topK),
        field('Minimum score (0–1)', minScore),
      ),
      h(
        'fieldset',
        null,
        h('legend', null, 'Learning'),
        field('Extraction mode', mode),
        field('Extract every N turns (auto mode)', turnLimit),
      ),
      h('fieldset', null, h('legend', null, 'Chat'), field('Model', model, app.offline ? 'No upstream model is configured.' : undefined), modelList),
      h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, 'Save settings'), saved),
    ),
    h(
      'section',
      { class: 'card server-info', 'aria-labelledby': 'server-h' },
      h('h2', { id: 'server-h' }, 'Server'),
      h(
        'dl',
        { class: 'kv' },
        h('dt', null, 'Version'),
        h('dd', null, caps?.version ?? app.health?.version ?? '?'),
        h('dt', null, 'Upstream model'),
        h('dd', null, app.offline ? 'none (offline)' : caps?.llm.model ?? 'configured'),
        h('dt', null, 'Extraction'),
        h('dd', null, caps?.llm.extractor ?? '?'),
        h('dt', null, 'Authentication'),
        h('dd', null, caps ? (caps.auth === 'api_keys' ? 'API keys' : 'trusted (no keys)') : '?'),
        h('dt', null, 'Signed in as'),
        h('dd', null, app.userId()),
      ),
    ),
  );
  return { el };
}
