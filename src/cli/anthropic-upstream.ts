import type { AnthropicUpstreamOptions } from '../adapters/express/anthropic/upstream.js';
import { CliError } from './common.js';

/**
 * `serve` flags for the Anthropic-compatible upstream of `/v1/messages`, independent of the
 * OpenAI upstream flags (src/cli/upstream.ts): `--anthropic-base-url URL` (env
 * AUTOSKILL_ANTHROPIC_BASE_URL) and `--anthropic-api-key-env NAME` (default ANTHROPIC_API_KEY).
 *
 * `ANTHROPIC_BASE_URL` itself is deliberately not read: in the Claude Code set-up it points at
 * autoskill, so reading it would send the proxy's requests back to itself.
 */

export interface AnthropicFlags {
  'anthropic-base-url'?: string | undefined;
  'anthropic-api-key-env'?: string | undefined;
}

export interface AnthropicConfig {
  /** undefined: no Anthropic upstream, /v1/messages answers 503 */
  options?: AnthropicUpstreamOptions;
  apiKeyEnv: string;
  hasApiKey: boolean;
}

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The upstream counts as configured when a base URL is given, or when the key variable is set
 * (then api.anthropic.com), as with the OpenAI upstream. Without a key the callers' own
 * credentials pass through (trusted mode), which is how Claude Code keeps its login.
 */
export function anthropicFromFlags(flags: AnthropicFlags, env: NodeJS.ProcessEnv = process.env): AnthropicConfig {
  const apiKeyEnv = flags['anthropic-api-key-env'] ?? 'ANTHROPIC_API_KEY';
  if (!ENV_NAME.test(apiKeyEnv)) throw new CliError(`--anthropic-api-key-env must be an environment variable name, got "${apiKeyEnv}"`, 2);
  const apiKey = env[apiKeyEnv]?.trim() || undefined;
  const rawBase = flags['anthropic-base-url'] ?? (env.AUTOSKILL_ANTHROPIC_BASE_URL?.trim() || undefined);
  const config: AnthropicConfig = { apiKeyEnv, hasApiKey: apiKey !== undefined };
  if (rawBase === undefined && apiKey === undefined) return config;
  let baseURL = ANTHROPIC_DEFAULT_BASE_URL;
  if (rawBase !== undefined) {
    let url: URL;
    try {
      url = new URL(rawBase);
    } catch {
      throw new CliError(`--anthropic-base-url is not a URL: "${rawBase}"`, 2);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`--anthropic-base-url must be http(s), got "${rawBase}"`, 2);
    baseURL = url.toString().replace(/\/+$/, '');
  }
  config.options = { baseURL, ...(apiKey ? { apiKey } : {}) };
  return config;
}

/** One line for startup output; never includes the key. */
export function describeAnthropic(c: AnthropicConfig): string {
  if (!c.options) return 'none (/v1/messages answers 503)';
  const key = c.hasApiKey ? `key from $${c.apiKeyEnv}` : `no key ($${c.apiKeyEnv} unset): callers' own credentials are forwarded`;
  return `${c.options.baseURL} (${key})`;
}
