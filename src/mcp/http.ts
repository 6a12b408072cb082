import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Actor, AutoSkill, Logger } from '../engine/index.js';
import { createAutoskillMcpServer, type AutoskillMcpServerOptions } from './server.js';
import { hostOriginProblem, type HostOriginPolicy } from '../adapters/shared/host-origin.js';
import { jsonDepthProblem } from '../adapters/shared/json-depth.js';

/**
 * MCP over Streamable HTTP with sessions, as one request handler for `/mcp` (POST, GET, DELETE).
 *
 * - The user comes from the HTTP request (`resolveActor`, e.g. an API key → user), checked on
 *   every request: a session is bound to the user who opened it, and another user's request with
 *   that session id is answered like an unknown session.
 * - Each session has its own McpServer + transport (the SDK requires one server per connection),
 *   so store changes reach each connected client as notifications/resources/list_changed on its
 *   GET stream.
 * - Sessions end on DELETE, when the transport closes, when idle too long, or on `close()`.
 *
 * The handler is Express-compatible (`app.all('/mcp', handler)`) and works with a plain
 * `node:http` server; it reads the body itself unless a JSON body parser already did.
 */

export interface McpHttpOptions {
  sdk: AutoSkill;
  /** the user behind a request; undefined (or a throw) → 401 */
  resolveActor(req: IncomingMessage): Actor | undefined | Promise<Actor | undefined>;
  /** live sessions at once, all users together (default 1000) */
  maxSessions?: number;
  /**
   * live sessions per user (default 16). A user at the cap who opens another loses their own
   * least recently used idle session; one user can never use up another user's room.
   */
  maxSessionsPerUser?: number;
  /** close a session with no open request for this long (default 5 min; an open GET stream keeps it) */
  idleTimeoutMs?: number;
  /**
   * Host/Origin rules (see adapters/shared/host-origin.ts). Default: loopback hosts and origins
   * only; the spec requires Origin validation on Streamable HTTP.
   */
  hostPolicy?: HostOriginPolicy;
  /** POST bodies read by the handler itself (default 8 MiB) */
  maxBodyBytes?: number;
  /** passed to every session's server */
  server?: Omit<AutoskillMcpServerOptions, 'sdk' | 'userId' | 'actor' | 'getActor'>;
  logger?: Logger;
}

export type McpRequest = IncomingMessage & { body?: unknown };

export interface McpHttpHandler {
  (req: McpRequest, res: ServerResponse, next?: (err?: unknown) => void): Promise<void>;
  /** close every session (server shutdown) */
  close(): Promise<void>;
  /** live sessions (for health output and tests) */
  readonly sessionCount: number;
}

interface Session {
  id?: string;
  actor: Actor;
  server: McpServer;
  transport: StreamableHTTPServerTransport;
  lastSeen: number;
  open: number;
  closed: boolean;
}

const SESSION_HEADER = 'mcp-session-id';

function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

class BodyError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function readJsonBody(req: McpRequest, limit: number): Promise<unknown> {
  if (req.body !== undefined) return req.body;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buf.byteLength;
    if (size > limit) throw new BodyError(`request body exceeds ${limit} bytes`, 413);
    chunks.push(buf);
  }
  const bytes = Buffer.concat(chunks);
  const deep = jsonDepthProblem(bytes);
  if (deep) throw new BodyError(deep, 400);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new BodyError('request body is not valid JSON', 400);
  }
}

/** The idle session (no open request) seen longest ago, if any. */
function lruIdle(list: Session[]): Session | undefined {
  let best: Session | undefined;
  for (const s of list) if (s.open === 0 && !s.closed && (!best || s.lastSeen < best.lastSeen)) best = s;
  return best;
}

function sameActor(a: Actor, b: Actor): boolean {
  return a.userId === b.userId && (a.admin === true) === (b.admin === true);
}

export function mcpHttpHandler(options: McpHttpOptions): McpHttpHandler {
  const { sdk } = options;
  const logger = options.logger ?? sdk.logger;
  const maxSessions = options.maxSessions ?? 1000;
  const maxPerUser = Math.max(1, options.maxSessionsPerUser ?? 16);
  const idleMs = options.idleTimeoutMs ?? 5 * 60_000;
  const hostPolicy = options.hostPolicy ?? {};
  const maxBody = options.maxBodyBytes ?? 8 * 1024 * 1024;
  const sessions = new Map<string, Session>();

  const drop = (s: Session): Promise<void> => {
    if (s.closed) return Promise.resolve();
    s.closed = true;
    if (s.id) sessions.delete(s.id);
    return s.server.close().catch((err: unknown) => logger.debug('mcp session close failed', { error: String(err) }));
  };

  const sweep = (): void => {
    const now = Date.now();
    for (const s of [...sessions.values()]) if (s.open === 0 && now - s.lastSeen > idleMs) void drop(s);
  };
  const sweeper = setInterval(sweep, Math.max(1000, Math.min(idleMs / 2, 60_000)));
  sweeper.unref();

  const userKey = (a: Actor): string => `${a.admin === true ? 'admin' : 'user'}:${a.userId}`;

  /**
   * Make room for one more session of `actor`: first within the user's own cap (their least
   * recently used idle session goes), then within the global cap (an idle session of whoever
   * holds the most goes). False when nothing idle can be closed.
   */
  const makeRoom = (actor: Actor): boolean => {
    sweep();
    const mine = [...sessions.values()].filter((s) => userKey(s.actor) === userKey(actor));
    if (mine.length >= maxPerUser) {
      const victim = lruIdle(mine);
      if (!victim) return false;
      void drop(victim);
    }
    if (sessions.size < maxSessions) return true;
    const byUser = new Map<string, Session[]>();
    for (const s of sessions.values()) {
      const k = userKey(s.actor);
      byUser.set(k, [...(byUser.get(k) ?? []), s]);
    }
    const groups = [...byUser.values()].sort((a, b) => b.length - a.length);
    for (const group of groups) {
      const victim = lruIdle(group);
      if (victim) {
        void drop(victim);
        return true;
      }
    }
    // Nothing idle (every session holds a stream): the biggest holder gives one up, unless that
    // would be the caller taking from someone with no more sessions than they have.
    const biggest = groups[0];
    if (!biggest || biggest.length <= mine.length) return false;
    const victim = biggest.reduce((a, b) => (b.lastSeen < a.lastSeen ? b : a));
    void drop(victim);
    return true;
  };

  /** Count a request as open until its response ends, so an SSE stream keeps its session alive. */
  const track = (s: Session, res: ServerResponse): void => {
    s.lastSeen = Date.now();
    s.open++;
    res.once('close', () => {
      s.open--;
      s.lastSeen = Date.now();
    });
  };

  const openSession = async (actor: Actor): Promise<Session> => {
    const server = createAutoskillMcpServer({ ...options.server, sdk, actor, logger });
    const session: Session = { actor, server, transport: undefined as never, lastSeen: Date.now(), open: 0, closed: false };
    session.transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        session.id = id;
        sessions.set(id, session);
        logger.debug('mcp session opened', { session: id, userId: actor.userId });
      },
      onsessionclosed: () => void drop(session),
    });
    // Set before connect(): the SDK chains its own close handling after ours.
    session.transport.onclose = () => void drop(session);
    await server.connect(session.transport);
    return session;
  };

  const handler = async (req: McpRequest, res: ServerResponse, next?: (err?: unknown) => void): Promise<void> => {
    try {
      const method = req.method ?? 'GET';
      if (method !== 'POST' && method !== 'GET' && method !== 'DELETE') {
        sendJsonRpcError(res, 405, -32000, 'Method not allowed', { allow: 'GET, POST, DELETE' });
        return;
      }
      let actor: Actor | undefined;
      try {
        actor = await options.resolveActor(req);
      } catch (err) {
        logger.debug('mcp auth failed', { error: String(err) });
      }
      if (!actor?.userId) {
        sendJsonRpcError(res, 401, -32001, 'Unauthorized: a valid API key is required', { 'www-authenticate': 'Bearer' });
        return;
      }
      const refused = hostOriginProblem(req.headers, hostPolicy);
      if (refused) {
        sendJsonRpcError(res, 403, -32000, `Forbidden: ${refused}`);
        return;
      }
      const header = req.headers[SESSION_HEADER];
      const sessionId = Array.isArray(header) ? header[0] : header;

      if (sessionId) {
        const session = sessions.get(sessionId);
        // Another user's session looks exactly like a missing one.
        if (!session || !sameActor(session.actor, actor)) {
          sendJsonRpcError(res, 404, -32001, 'Session not found');
          return;
        }
        const body = method === 'POST' ? await readJsonBody(req, maxBody) : undefined;
        track(session, res);
        await session.transport.handleRequest(req, res, body);
        return;
      }

      if (method !== 'POST') {
        sendJsonRpcError(res, 400, -32000, `Bad Request: ${SESSION_HEADER} header is required`);
        return;
      }
      const body = await readJsonBody(req, maxBody);
      if (!isInitializeRequest(body)) {
        sendJsonRpcError(res, 400, -32000, 'Bad Request: no valid session id; start with an initialize request');
        return;
      }
      if (!makeRoom(actor)) {
        sendJsonRpcError(res, 503, -32000, 'Too many MCP sessions; try again later', { 'retry-after': '30' });
        return;
      }
      const session = await openSession(actor);
      track(session, res);
      await session.transport.handleRequest(req, res, body);
      // An initialize that failed never got an id: nothing refers to its server any more.
      if (!session.id) await drop(session);
    } catch (err) {
      if (err instanceof BodyError) {
        sendJsonRpcError(res, err.status, -32700, err.message);
        return;
      }
      logger.error('mcp http request failed', { error: err instanceof Error ? err.message : String(err) });
      if (next) next(err);
      else sendJsonRpcError(res, 500, -32603, 'Internal server error');
    }
  };

  return Object.defineProperties(handler, {
    close: {
      value: async (): Promise<void> => {
        clearInterval(sweeper);
        await Promise.all([...sessions.values()].map(drop));
      },
    },
    sessionCount: { get: () => sessions.size },
  }) as McpHttpHandler;
}
