import type OpenAI from 'openai';
import { DEFAULT_USER_ID, silentLogger, type AutoSkill, type Logger } from '../../engine/index.js';
import { resolveAnthropicUpstream, type AnthropicUpstream, type AnthropicUpstreamOptions } from './anthropic/upstream.js';
import { KeyRing, UserIdSchema, type ApiKeysFile } from './auth.js';
import { SseRegistry } from './sse.js';
import { leanFetch, withLeanTransport, type LeanFetch } from '../shared/lean-fetch.js';
import { DirectUpstream } from '../shared/direct-upstream.js';
import type { HostOriginPolicy } from '../shared/host-origin.js';

/** Options of `autoskillRouter()`; every field but `sdk` is optional. */
export interface AutoskillRouterOptions {
  sdk: AutoSkill;
  /**
   * The OpenAI-compatible upstream for chat and embeddings (an official `openai` client). Without
   * one the server is "offline": management API, retrieval and learning work; chat answers 503.
   */
  upstream?: OpenAI;
  /**
   * The Anthropic-compatible upstream for `/v1/messages` (independent of `upstream`; a proxy may
   * front both). Without it `/v1/messages` answers 503. See anthropic/upstream.ts.
   */
  anthropic?: AnthropicUpstreamOptions;
  /** model used when a chat request names none; listed by `/v1/models` offline */
  model?: string;
  /** extraction model label for `/capabilities` (e.g. `openai:gpt-4o-mini`; default offline) */
  extractor?: string;
  /** API keys (keyed mode). Without keys the server trusts the caller's user id. */
  apiKeys?: KeyRing | ApiKeysFile;
  /** trusted mode: the user when a request names none (default `default`) */
  defaultUser?: string;
  /** trusted mode: callers act as admins (may write Common skills). Default false. */
  trustedAdmin?: boolean;
  /** allowed CORS origins (`*` for any). Default: CORS off. These origins also pass the Origin check. */
  cors?: string | string[];
  /**
   * Host names accepted besides loopback ones (`localhost`, `127.0.0.1`, `[::1]`); `*` = any.
   * Without API keys a foreign `Host` gets 403 (DNS rebinding); with keys Host is checked only
   * when this list is given. See adapters/shared/host-origin.ts.
   */
  allowedHosts?: string[];
  /** browser origins accepted besides loopback and same-origin ones (`*` = any); others get 403 */
  allowedOrigins?: string[];
  /** JSON body limit (default 10 MiB); larger → 413 */
  bodyLimit?: number | string;
  /** upload limit for skill imports (default 50 MiB) */
  importLimit?: number | string;
  /** time box for retrieval on the chat path (default 1500 ms; fail-open) */
  retrievalTimeoutMs?: number;
  /**
   * How long a chat answer may wait for the learning decision (policy and redaction) so that its
   * job id can be reported. The id is reported as soon as it is allocated; the journal write is
   * not waited for (the job is durable once `GET /v1/autoskill/extractions/{id}` finds it).
   * Default 100 ms; past it the answer goes out without the id. 0 = never wait (no job id in answers).
   */
  scheduleTimeoutMs?: number;
  /** per upstream call; for streams, the longest silence between chunks (default: the client's timeout) */
  upstreamTimeoutMs?: number;
  /** observe chat turns for learning (default true) */
  learning?: boolean;
  /** where errors and warnings go */
  logger?: Logger;
  /** SSE keep-alive comment interval (default 15 s) */
  heartbeatMs?: number;
}

/** What route handlers share. */
export interface RouteContext {
  sdk: AutoSkill;
  upstream: OpenAI | undefined;
  anthropic: AnthropicUpstream | undefined;
  model: string | undefined;
  extractor: string;
  keys: KeyRing | undefined;
  defaultUser: string;
  trustedAdmin: boolean;
  bodyLimit: number | string;
  importLimit: number | string;
  retrievalTimeoutMs: number;
  scheduleTimeoutMs: number;
  upstreamTimeoutMs: number | undefined;
  learning: boolean;
  logger: Logger;
  heartbeatMs: number;
  sse: SseRegistry;
  /** Host/Origin rules for every /v1 and /mcp request */
  hostPolicy: HostOriginPolicy;
  /** set when the router is closing: new event streams are refused */
  closing: boolean;
  /** the upstream client's keep-alive transport (see shared/lean-fetch.ts), closed with the router */
  transport: LeanFetch | undefined;
  /** non-stream calls to `upstream` without the client on the request path, when its config allows (shared/direct-upstream.ts) */
  direct: DirectUpstream | undefined;
}

export function resolveContext(o: AutoskillRouterOptions): RouteContext {
  const defaultUser = o.defaultUser ?? DEFAULT_USER_ID;
  const checked = UserIdSchema.safeParse(defaultUser);
  if (!checked.success) throw new Error(`invalid defaultUser: ${checked.error.issues[0]?.message ?? defaultUser}`);
  const keys = o.apiKeys === undefined ? undefined : o.apiKeys instanceof KeyRing ? o.apiKeys : new KeyRing(o.apiKeys);
  // One keep-alive transport for both upstreams (an Anthropic one with its own fetch keeps it).
  const transport = o.upstream || (o.anthropic && !o.anthropic.fetch) ? leanFetch() : undefined;
  return {
    sdk: o.sdk,
    upstream: o.upstream && transport ? withLeanTransport(o.upstream, transport) : o.upstream,
    transport,
    direct: o.upstream && transport ? DirectUpstream.for(o.upstream, transport) : undefined,
    anthropic: resolveAnthropicUpstream(o.anthropic, transport?.fetch),
    model: o.model,
    extractor: o.extractor ?? 'offline',
    keys,
    defaultUser,
    trustedAdmin: o.trustedAdmin ?? false,
    bodyLimit: o.bodyLimit ?? '10mb',
    importLimit: o.importLimit ?? '50mb',
    retrievalTimeoutMs: o.retrievalTimeoutMs ?? 1500,
    scheduleTimeoutMs: o.scheduleTimeoutMs ?? 100,
    upstreamTimeoutMs: o.upstreamTimeoutMs,
    learning: o.learning ?? true,
    logger: o.logger ?? silentLogger,
    heartbeatMs: o.heartbeatMs ?? 15_000,
    sse: new SseRegistry(),
    hostPolicy: hostPolicyOf(o, keys !== undefined),
    closing: false,
  };
}

/** Host checks are on without keys (or when hosts are listed); Origin checks always (CORS origins pass). */
export function hostPolicyOf(o: Pick<AutoskillRouterOptions, 'allowedHosts' | 'allowedOrigins' | 'cors'>, keyed: boolean): HostOriginPolicy {
  const cors = o.cors === undefined ? [] : Array.isArray(o.cors) ? o.cors : [o.cors];
  return {
    allowedHosts: o.allowedHosts ?? [],
    allowedOrigins: [...(o.allowedOrigins ?? []), ...cors],
    enforceHost: !keyed || (o.allowedHosts?.length ?? 0) > 0,
  };
}
