import type { ServerResponse } from 'node:http';
import type { McpHttpHandler, McpHttpOptions, McpRequest } from '../mcp/http.js';

/**
 * `/mcp` for `autoskill serve`, loaded when it is first needed.
 *
 * The MCP SDK and what it brings (its schemas, hono, ajv) cost about 0.2 s of CPU to load, and a
 * restarted server answers chat requests without any of it: so the handler module is imported on
 * the first MCP request, or by `preload()` once the server is up (serve calls it after a short
 * pause, so the first answer after a restart does not share the CPU with it). Requests that
 * arrive while it loads wait for it; a load that fails is reported to Express's `next` (500) and
 * retried by the next request.
 */
export function lazyMcpHandler(opts: McpHttpOptions): McpHttpHandler & { preload(): Promise<void> } {
  let loading: Promise<McpHttpHandler> | undefined;
  let handler: McpHttpHandler | undefined;
  let closed = false;
  const load = (): Promise<McpHttpHandler> => {
    loading ??= import('../mcp/http.js').then(
      (m) => (handler = m.mcpHttpHandler(opts)),
      (err: unknown) => {
        loading = undefined;
        throw err;
      },
    );
    return loading;
  };
  const lazy = async (req: McpRequest, res: ServerResponse, next?: (err?: unknown) => void): Promise<void> => {
    let h: McpHttpHandler;
    try {
      h = handler ?? (await load());
    } catch (err) {
      if (next) return next(err);
      throw err;
    }
    // closed while loading: no new session may start after close() returned
    if (closed) {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'server is shutting down' }, id: null }));
      return;
    }
    return h(req, res, next);
  };
  return Object.defineProperties(lazy, {
    close: {
      value: async (): Promise<void> => {
        closed = true;
        await handler?.close();
      },
    },
    sessionCount: { get: () => handler?.sessionCount ?? 0 },
    preload: {
      value: async (): Promise<void> => {
        await load();
      },
    },
  }) as McpHttpHandler & { preload(): Promise<void> };
}
