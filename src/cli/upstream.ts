import OpenAI from 'openai';
import { openAiLlm } from '../adapters/openai/llm.js';
import type { LlmPort } from '../engine/ports/llm.js';
import { CliError, type Options } from './common.js';

/**
 * Shared CLI flags for talking to an OpenAI-compatible upstream (the proxy's chat target and the
 * extraction model): `--upstream-base-url URL`, `--upstream-api-key-env NAME`, `--model M`.
 * The key itself never appears on a command line (it would land in shell history and `ps`);
 * only the name of the environment variable that holds it does.
 */
export const UPSTREAM_OPTIONS = {
  'upstream-base-url': { type: 'string' },
  'upstream-api-key-env': { type: 'string' },
  model: { type: 'string' },
  'upstream-timeout-ms': { type: 'string' },
} as const satisfies Options;

export const UPSTREAM_HELP = [
  '  --upstream-base-url URL     OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1',
  '                              (env AUTOSKILL_UPSTREAM_BASE_URL; without it and without an API key',
  '                              in the environment, autoskill runs offline)',
  '  --upstream-api-key-env NAME environment variable holding the upstream API key (default OPENAI_API_KEY)',
  '  --model M                   default chat model and extraction model (env AUTOSKILL_MODEL); without',
  '                              it, learning uses the offline rule-based extractor',
  '  --upstream-timeout-ms N     per upstream call (default 120000)',
].join('\n');

export interface UpstreamFlags {
  'upstream-base-url'?: string | undefined;
  'upstream-api-key-env'?: string | undefined;
  model?: string | undefined;
  'upstream-timeout-ms'?: string | undefined;
}

export interface UpstreamConfig {
  /** undefined = offline: no upstream configured */
  client?: OpenAI;
  baseURL?: string;
  /** name of the env var the key came from (never the key) */
  apiKeyEnv: string;
  hasApiKey: boolean;
  model?: string;
  /** structured-output model for extraction (needs an upstream and a model) */
  llm?: LlmPort;
  timeoutMs: number;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Resolve the flags (with environment fallbacks) into an upstream client. An upstream counts as
 * configured when a base URL is given, or when the API key variable is set (then the official
 * OpenAI endpoint is used, as the `openai` client does by default).
 */
export function upstreamFromFlags(flags: UpstreamFlags, env: NodeJS.ProcessEnv = process.env): UpstreamConfig {
  const apiKeyEnv = flags['upstream-api-key-env'] ?? 'OPENAI_API_KEY';
  if (!ENV_NAME.test(apiKeyEnv)) throw new CliError(`--upstream-api-key-env must be an environment variable name, got "${apiKeyEnv}"`, 2);
  const apiKey = env[apiKeyEnv]?.trim() || undefined;
  const rawBase = flags['upstream-base-url'] ?? (env.AUTOSKILL_UPSTREAM_BASE_URL?.trim() || undefined);
  const model = flags.model ?? (env.AUTOSKILL_MODEL?.trim() || undefined);
  const timeoutRaw = flags['upstream-timeout-ms'];
  const timeoutMs = timeoutRaw === undefined ? 120_000 : Number(timeoutRaw);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new CliError(`--upstream-timeout-ms must be a positive integer, got "${timeoutRaw}"`, 2);

  let baseURL: string | undefined;
  if (rawBase !== undefined) {
    let url: URL;
    try {
      url = new URL(rawBase);
    } catch {
      throw new CliError(`--upstream-base-url is not a URL: "${rawBase}"`, 2);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`--upstream-base-url must be http(s), got "${rawBase}"`, 2);
    baseURL = url.toString().replace(/\/+$/, '');
  }
  const config: UpstreamConfig = { apiKeyEnv, hasApiKey: apiKey !== undefined, timeoutMs, ...(model ? { model } : {}) };
  if (baseURL === undefined && apiKey === undefined) return config;

  const client = new OpenAI({
    // Local servers (vLLM, Ollama, ...) often need no key; the client insists on one.
    apiKey: apiKey ?? 'no-key',
    ...(baseURL ? { baseURL } : {}),
    timeout: timeoutMs,
    // The proxy relays failures to its caller, who decides about retrying.
    maxRetries: 0,
  });
  config.client = client;
  if (baseURL) config.baseURL = baseURL;
  // The chat model doubles as the extraction model ('self'): when it cannot answer in the
  // extraction JSON, that job uses the offline extractor instead of failing.
  if (model) config.llm = openAiLlm({ client, model, label: `openai:${model}`, fallback: 'offline' });
  return config;
}

/** One line for startup output; never includes the key. */
export function describeUpstream(c: UpstreamConfig): string {
  if (!c.client) return 'offline (no upstream configured; chat answers 503, learning uses the offline extractor)';
  const where = c.baseURL ?? 'https://api.openai.com/v1';
  const key = c.hasApiKey ? `key from $${c.apiKeyEnv}` : `no key ($${c.apiKeyEnv} unset)`;
  return `${where} (${key}${c.model ? `, model ${c.model}` : ''})`;
}
