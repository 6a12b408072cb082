import type { IncomingHttpHeaders } from 'node:http';

/**
 * `Host` and `Origin` checks against DNS rebinding and cross-site browser calls (issue 16).
 *
 * A web page on a foreign name that resolves to 127.0.0.1 reaches a local server with that foreign
 * name in `Host`; a page on any site that calls 127.0.0.1 directly sends its own `Origin`. Without
 * API keys the server trusts whoever reaches it, so both must be refused:
 *
 * - Host: only loopback names (`localhost`, `127.0.0.1`, `[::1]`, any port) plus `allowedHosts`.
 *   Enforced when `enforceHost` is set (the default without API keys, or when hosts are listed).
 *   With API keys a rebinding page has no key, so a server reached by LAN address keeps working.
 * - Origin (always, as the MCP Streamable HTTP spec requires): absent (not a browser), loopback,
 *   listed in `allowedOrigins`, or the same origin as the request's own (allowed) Host.
 *
 * `*` in either list turns that check off. Shared by the Express app and the MCP handler, which
 * must not depend on Express.
 */

export interface HostOriginPolicy {
  /** extra host names (`example.com`, or `example.com:9000` for one port); `*` = any */
  allowedHosts?: readonly string[];
  /** extra browser origins (`https://app.example`); `*` = any */
  allowedOrigins?: readonly string[];
  /** check Host (default true) */
  enforceHost?: boolean;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** `Host` value → lowercase name and port ("" when absent); undefined when malformed. */
export function splitHost(host: string): { name: string; port: string } | undefined {
  const h = host.trim().toLowerCase();
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]/\s@]+)(?::(\d{1,5}))?$/.exec(h);
  if (!m) return undefined;
  return { name: m[1]!.replace(/\.$/, ''), port: m[2] ?? '' };
}

/** True for names that always mean this machine: `localhost` (and `*.localhost`), 127.x, ::1. */
export function isLoopbackName(name: string): boolean {
  const n = name.toLowerCase();
  return LOOPBACK_NAMES.has(n) || n.endsWith('.localhost') || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(n);
}

function hostListed(list: readonly string[], name: string, port: string): boolean {
  for (const entry of list) {
    const e = splitHost(entry);
    if (!e) continue;
    if (e.name === name && (e.port === '' || e.port === port)) return true;
  }
  return false;
}

const normOrigin = (o: string): string => o.trim().replace(/\/+$/, '').toLowerCase();

/** Why the request must be refused (a message for a 403), or undefined when it may pass. */
export function hostOriginProblem(headers: IncomingHttpHeaders, policy: HostOriginPolicy = {}): string | undefined {
  const hosts = policy.allowedHosts ?? [];
  const origins = policy.allowedOrigins ?? [];
  const rawHost = typeof headers.host === 'string' ? headers.host : '';
  const host = splitHost(rawHost);
  const hostOk = (name: string, port: string): boolean => isLoopbackName(name) || hosts.includes('*') || hostListed(hosts, name, port);
  if (policy.enforceHost !== false && !hosts.includes('*')) {
    if (!host || !hostOk(host.name, host.port)) {
      return `host ${JSON.stringify(rawHost.slice(0, 100))} is not allowed: this server answers only to loopback names unless started with --allowed-hosts`;
    }
  }
  const origin = headers.origin;
  if (typeof origin !== 'string' || origins.includes('*')) return undefined;
  const norm = normOrigin(origin);
  if (origins.some((o) => normOrigin(o) === norm)) return undefined;
  let url: URL | undefined;
  try {
    url = norm === 'null' ? undefined : new URL(norm);
  } catch {
    url = undefined;
  }
  if (url && (url.protocol === 'http:' || url.protocol === 'https:')) {
    const o = splitHost(url.host);
    if (o && (isLoopbackName(o.name) || hostListed(hosts, o.name, o.port || (url.protocol === 'https:' ? '443' : '80')))) return undefined;
    // Same origin as the request itself: the Host passed its own check above.
    if (host && url.host === rawHost.trim().toLowerCase()) return undefined;
  }
  return `origin ${JSON.stringify(origin.slice(0, 100))} is not allowed: add it with --allowed-origins`;
}
