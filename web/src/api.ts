import { readSse, type SseMessage } from './sse.js';

/**
 * The page's only way to the server: same-origin fetch to the proxy and the management API
 * (`/v1/chat/completions`, `/v1/autoskill/*`). Identity: an API key (`Authorization: Bearer`)
 * when the server has keys, else the user named in `X-AutoSkill-User` (trusted mode).
 */

export interface SkillSummary {
  id: string;
  name: string;
  slug: string;
  description: string;
  version: string;
  owner: string;
  scope: 'user' | 'common';
  /** `always`: a standing preference injected on every turn; `task`: used when a request matches */
  applies?: 'always' | 'task';
  /** `pending`: a learned skill held for review, never injected until approved (older servers omit it) */
  review?: 'pending' | null;
  tags: string[];
  triggers: string[];
  resource_paths: string[];
  created_at: string | null;
  updated_at: string | null;
}

export interface SkillDetail extends SkillSummary {
  instructions: string;
  examples: Array<{ input: string; output: string | null; notes: string | null }>;
  metadata: Record<string, string>;
  source: { kind?: string; trigger?: string; ref?: string } | null;
  skill_md?: string;
}

/** A held skill as `GET /v1/autoskill/review` lists it: why it was held comes along. */
export interface HeldSkill extends SkillSummary {
  review_reason: string | null;
}

export interface HitView {
  rank: number;
  score: number;
  id: string;
  name: string;
  description: string;
  version: string;
  owner: string;
  skill: SkillSummary;
}

export interface JobView {
  job_id: string;
  user_id: string;
  kind: string;
  status: 'scheduled' | 'running' | 'completed' | 'failed' | string;
  event_time: number;
  error: string;
  upserted: SkillSummary[];
  result: {
    status: string;
    reason: string;
    extractor: string;
    skills: Array<{ id: string; name: string; version: string; action: string }>;
  } | null;
}

export interface Health {
  ok: boolean;
  status: string;
  version: string;
  upstream: 'configured' | 'offline';
}

export interface Capabilities {
  version: string;
  user: string;
  /** may write Common skills (older servers omit it: treat as no) */
  admin?: boolean;
  auth: 'api_keys' | 'trusted';
  llm: { provider: string; model: string | null; extractor: string };
  /** review mode (serve --review): every learned skill waits for approval (older servers omit it) */
  learning?: { review: boolean };
  chat: { available: boolean };
}

export interface Violation {
  field: string;
  message: string;
  /** error: the reference validator rejects it and saving is refused; warning: saved, but worth fixing */
  level?: 'error' | 'warning';
  rule?: string;
  fix?: string;
}

export interface VersionRow {
  version: string;
  at: string;
  source: { kind?: string; trigger?: string; ref?: string } | null;
  is_current: boolean;
}

export interface TagCount {
  tag: string;
  count: number;
}

export type Scope = 'user' | 'common' | 'all';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null = null,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Credentials {
  user?: string | undefined;
  apiKey?: string | undefined;
}

/** The OpenAI error shape every endpoint uses; anything else becomes a plain message. */
async function errorFrom(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { message?: string; code?: string | null; param?: string | null } | string };
    if (typeof body.error === 'string') return new ApiError(body.error, res.status);
    if (body.error?.message) return new ApiError(body.error.message, res.status, body.error.code ?? null, body.error.param ?? null);
  } catch {
    // not JSON
  }
  return new ApiError(text.trim().slice(0, 300) || `${res.status} ${res.statusText}`, res.status);
}

const enc = encodeURIComponent;

export class Api {
  constructor(private readonly credentials: () => Credentials) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    const c = this.credentials();
    const h: Record<string, string> = { ...extra };
    if (c.apiKey) h.authorization = `Bearer ${c.apiKey}`;
    else if (c.user) h['x-autoskill-user'] = c.user;
    return h;
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(path, { ...init, headers: this.headers((init.headers as Record<string, string>) ?? {}), credentials: 'same-origin' });
    if (!res.ok) throw await errorFrom(res);
    return res;
  }

  async json<T>(method: string, path: string, body?: unknown, init: RequestInit = {}): Promise<T> {
    const res = await this.fetch(path, {
      ...init,
      method,
      ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
    });
    return (await res.json()) as T;
  }

  /** SSE from a GET or POST; the caller iterates and may stop at any time. */
  async *events(path: string, init: RequestInit = {}): AsyncGenerator<SseMessage, Response | undefined> {
    const res = await this.fetch(path, init);
    if (!res.body) return res;
    yield* readSse(res.body);
    return res;
  }

  // ------------------------------------------------------------- meta

  async health(): Promise<Health> {
    const res = await fetch('/health', { cache: 'no-store' });
    if (!res.ok) throw await errorFrom(res);
    return (await res.json()) as Health;
  }

  async capabilities(): Promise<Capabilities> {
    return (await this.json<{ data: Capabilities }>('GET', '/v1/autoskill/capabilities')).data;
  }

  async models(): Promise<string[]> {
    const r = await this.json<{ data: Array<{ id: string }> }>('GET', '/v1/models');
    return r.data.map((m) => m.id);
  }

  // ------------------------------------------------------------- skills

  listSkills(scope: Scope, offset: number, limit: number): Promise<{ total: number; data: SkillSummary[] }> {
    return this.json('GET', `/v1/autoskill/skills?scope=${scope}&offset=${offset}&limit=${limit}`);
  }

  tags(scope: Scope): Promise<{ data: TagCount[]; total_skills: number }> {
    return this.json('GET', `/v1/autoskill/tags?scope=${scope}&limit=500`);
  }

  skillsWithTag(tag: string, scope: Scope, offset: number, limit: number): Promise<{ total: number; data: SkillSummary[] }> {
    return this.json('GET', `/v1/autoskill/tags/${enc(tag)}/skills?scope=${scope}&offset=${offset}&limit=${limit}`);
  }

  search(query: string, opts: { scope: Scope; limit?: number; minScore?: number; tags?: string[] }): Promise<{ data: HitView[] }> {
    return this.json('POST', '/v1/autoskill/skills/search', {
      query,
      scope: opts.scope,
      limit: opts.limit ?? 200,
      min_score: opts.minScore ?? 0,
      ...(opts.tags?.length ? { tags: opts.tags } : {}),
    });
  }

  async skill(id: string): Promise<SkillDetail> {
    return (await this.json<{ data: SkillDetail }>('GET', `/v1/autoskill/skills/${enc(id)}?include_md=1`)).data;
  }

  async saveSkillMd(id: string, text: string): Promise<SkillDetail> {
    return (await this.json<{ data: SkillDetail }>('PUT', `/v1/autoskill/skills/${enc(id)}/md`, { skill_md: text })).data;
  }

  async validate(text: string, dirName?: string): Promise<{ ok: boolean; violations: Violation[] }> {
    return this.json('POST', '/v1/autoskill/validate', { skill_md: text, ...(dirName ? { dir_name: dirName } : {}) });
  }

  async setApplies(id: string, applies: 'always' | 'task'): Promise<SkillDetail> {
    return (await this.json<{ data: SkillDetail }>('PUT', `/v1/autoskill/skills/${enc(id)}/applies`, { applies })).data;
  }

  /** The caller's learned skills held for review, newest first. */
  async held(): Promise<HeldSkill[]> {
    return (await this.json<{ data: HeldSkill[] }>('GET', '/v1/autoskill/review')).data;
  }

  /** Approve a held skill: it goes live as a new version. */
  async approve(id: string): Promise<SkillDetail> {
    return (await this.json<{ data: SkillDetail }>('POST', `/v1/autoskill/skills/${enc(id)}/approve`, {})).data;
  }

  /** Copy a readable skill (e.g. a Common one) into the caller's own skills. */
  copySkill(id: string): Promise<{ already_copied: boolean; data: SkillDetail }> {
    return this.json('POST', `/v1/autoskill/skills/${enc(id)}/copy`, {});
  }

  async deleteSkill(id: string): Promise<void> {
    await this.json('DELETE', `/v1/autoskill/skills/${enc(id)}`);
  }

  async versions(id: string): Promise<VersionRow[]> {
    return (await this.json<{ data: VersionRow[] }>('GET', `/v1/autoskill/skills/${enc(id)}/versions`)).data;
  }

  async readVersion(id: string, version: string): Promise<{ skill_md: string; resource_paths: string[] }> {
    return this.json('GET', `/v1/autoskill/skills/${enc(id)}/versions/${enc(version)}`);
  }

  async diff(id: string, from: string, to: string): Promise<string> {
    return (await this.json<{ diff: string }>('GET', `/v1/autoskill/skills/${enc(id)}/diff?from=${enc(from)}&to=${enc(to)}`)).diff;
  }

  async rollback(id: string, version?: string): Promise<SkillDetail> {
    return (await this.json<{ data: SkillDetail }>('POST', `/v1/autoskill/skills/${enc(id)}/rollback`, version ? { version } : {})).data;
  }

  exportFiles(id: string): Promise<{ files: Record<string, string>; binary_files: Record<string, string> }> {
    return this.json('GET', `/v1/autoskill/skills/${enc(id)}/export?format=files`);
  }

  async exportZip(id: string): Promise<Blob> {
    const res = await this.fetch(`/v1/autoskill/skills/${enc(id)}/export?format=zip&download=1`);
    return res.blob();
  }

  importFile(file: Blob, kind: 'zip' | 'markdown', opts: { name?: string; overwrite?: boolean } = {}) {
    const q = new URLSearchParams();
    if (opts.name) q.set('name', opts.name);
    if (opts.overwrite) q.set('overwrite', '1');
    return this.fetch(`/v1/autoskill/skills/import${q.size ? `?${q}` : ''}`, {
      method: 'POST',
      body: file,
      headers: { 'content-type': kind === 'zip' ? 'application/zip' : 'text/markdown' },
    }).then(
      (r) =>
        r.json() as Promise<{
          ok: boolean;
          imported_count: number;
          data: SkillSummary[];
          report: Array<{ status: string; path?: string; id?: string; reason?: string }>;
        }>,
    );
  }

  // ------------------------------------------------------------- learning

  async extractNow(messages: Array<{ role: string; content: string }>, hint?: string): Promise<JobView> {
    // surface: recorded with what is learned (provenance)
    const body = { surface: 'web', ...(messages.length ? { messages } : {}), ...(hint ? { hint } : {}) };
    return (await this.json<{ data: JobView }>('POST', '/v1/autoskill/extractions', body)).data;
  }

  async observeTurn(
    messages: Array<{ role: string; content: string }>,
    opts: { sessionId: string; mode: string; turnLimit: number },
  ): Promise<{ scheduled: boolean; reason: string; data: JobView | null }> {
    return this.json('POST', '/v1/autoskill/turns', {
      messages,
      session_id: opts.sessionId,
      mode: opts.mode,
      turn_limit: opts.turnLimit,
      surface: 'web',
    });
  }

  async job(id: string): Promise<JobView> {
    return (await this.json<{ data: JobView }>('GET', `/v1/autoskill/extractions/${enc(id)}`)).data;
  }

  /** Live job states until the job is final (or the server's timeout). */
  async *jobEvents(id: string, signal?: AbortSignal): AsyncGenerator<JobView> {
    const stream = this.events(`/v1/autoskill/extractions/${enc(id)}/events?timeout_s=300`, signal ? { signal } : {});
    for await (const m of stream) {
      if ((m.event === 'update' || m.event === 'done') && m.data.startsWith('{')) yield JSON.parse(m.data) as JobView;
    }
  }
}
