import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { createAutoskillApp, KeyRing } from '../../adapters/express/index.js';
import { isLoopbackName } from '../../adapters/shared/host-origin.js';
import { jsonLogger, safeUserId } from '../../engine/index.js';
import { expressActorResolver } from '../../mcp/express-actor.js';
import { settleHeapAfterOpen } from '../heap.js';
import { lazyMcpHandler } from '../lazy-mcp.js';
import { CliError, cliUserId, intFlag, isPostgresStore, openSdk, out, storeDirFrom } from '../common.js';
import { helpText, parseCommand } from '../options.js';
import { SPECS } from '../specs.js';
import { describeUpstream, upstreamFromFlags } from '../upstream.js';
import { anthropicFromFlags, describeAnthropic } from '../anthropic-upstream.js';
import { startServeSync, syncDirFromFlags } from '../serve-sync.js';
import { isClusterWorker, primaryShutdown, relayStoreChanges, runPrimary, workerIndex, workerLogger, workersFlag } from './serve-cluster.js';

/** The HTTP side (Express, the routes, the web page): loaded while the store opens, see run(). */
const loadHttp = () =>
  Promise.all([import('../../adapters/express/index.js'), import('../../adapters/express/web.js'), import('../../adapters/express/context.js')]).then(
    ([app, web, context]) => ({ ...app, ...web, ...context }),
  );

/** After this long up, the MCP handler is loaded (if no request has needed it yet): see lazy-mcp.ts. */
const MCP_PRELOAD_MS = 1000;
/** after listening, when the heap is settled (see below) */
const SETTLE_HEAP_MS = 300;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand(SPECS.serve, argv);
  if (values.help) return (out(helpText(SPECS.serve)), 0);
  let loadingHttp: ReturnType<typeof loadHttp> | undefined;
  const http = (): ReturnType<typeof loadHttp> => (loadingHttp ??= loadHttp());
  const port = intFlag(values.port, 'port', 9000);
  if (port > 65535) throw new CliError(`--port must be 0..65535, got ${port}`, 2);
  const host = values.host ?? '127.0.0.1';
  const shutdownMs = intFlag(values['shutdown-timeout-ms'], 'shutdown-timeout-ms', 10_000);
  const workers = workersFlag(values.workers);
  const upstream = upstreamFromFlags(values);
  const anthropic = anthropicFromFlags(values);
  if (values['trusted-admin'] && values['api-keys']) throw new CliError('--trusted-admin applies only without --api-keys (admins are set per key)', 2);
  // The same default as chat, mcp, list and search: what the page learns for it, `list` shows.
  const defaultUser = cliUserId(values['default-user']);
  try {
    safeUserId(defaultUser);
  } catch (err) {
    throw new CliError(`--default-user: ${(err as Error).message}`, 2);
  }

  const syncDir = syncDirFromFlags(values);

  const allowedHosts = listFlag(values['allowed-hosts']);
  const allowedOrigins = listFlag(values['allowed-origins']);
  const loopback = isLoopbackListen(host);
  if (!loopback && !values['api-keys'] && !values['insecure-no-auth']) {
    throw new CliError(
      `refusing to listen on ${host} without --api-keys: anyone who reaches it could act as any user. Add --api-keys FILE, or --insecure-no-auth if this network is trusted`,
      2,
    );
  }
  // Without keys Host is checked: the address we were told to listen on is a name clients will
  // use, so accept it. (With keys Host is checked only when --allowed-hosts is given.)
  if (!loopback && !values['api-keys'] && !isWildcard(host)) allowedHosts.push(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

  let keys: KeyRing | undefined;
  if (values['api-keys']) {
    const text = await readFile(values['api-keys'], 'utf8').catch((err: Error) => {
      throw new CliError(`cannot read --api-keys ${values['api-keys']}: ${err.message}`);
    });
    try {
      keys = (await http()).parseApiKeysText(text);
    } catch (err) {
      throw new CliError((err as Error).message);
    }
  }

  const level = process.env.AUTOSKILL_LOG_LEVEL;
  const baseLogger = jsonLogger({ level: level === 'debug' || level === 'warn' || level === 'error' ? level : 'info' });
  // Flags are checked above, once, before any worker starts (see serve-cluster.ts).
  if (workers > 1 && !isClusterWorker()) return runPrimary({ workers, logger: baseLogger, shutdownMs });
  const worker = isClusterWorker();
  const logger = worker ? workerLogger(baseLogger) : baseLogger;
  const storeArg = values.store ?? process.env.AUTOSKILL_STORE_URL ?? process.env.AUTOSKILL_STORE;
  // Started before the store opens and awaited after: module loading (file reads, compiling) and
  // the store's scan overlap instead of queueing, on the way to a restarted server's first answer.
  // (A failed load is reported where it is awaited, not as an unhandled rejection meanwhile.)
  http().catch(() => undefined);
  const sdk = await openSdk(storeArg, { logger, ...(upstream.llm ? { llm: upstream.llm } : {}), ...(values.review ? { learning: { review: true } } : {}) }, { settleHeap: false, service: true });
  // MCP over Streamable HTTP at /mcp, authenticated like the REST API.
  const { createAutoskillApp, mountWebUi, hostPolicyOf } = await http().catch(async (err: unknown) => {
    await sdk.close();
    throw err;
  });
  const mcp = lazyMcpHandler({
    sdk,
    logger,
    resolveActor: expressActorResolver({ keys, defaultUser }),
    hostPolicy: hostPolicyOf({ allowedHosts, allowedOrigins, ...(values.cors ? { cors: values.cors } : {}) }, keys !== undefined),
  });
  const app = createAutoskillApp({
    sdk,
    mount: (a) => (a.all('/mcp', mcp), mountWebUi(a)),
    logger,
    ...(upstream.client ? { upstream: upstream.client } : {}),
    ...(anthropic.options ? { anthropic: anthropic.options } : {}),
    ...(upstream.model ? { model: upstream.model } : {}),
    extractor: upstream.llm?.label ?? 'offline',
    ...(keys ? { apiKeys: keys } : {}),
    defaultUser,
    ...(values['trusted-admin'] ? { trustedAdmin: true } : {}),
    ...(values.cors ? { cors: values.cors } : {}),
    ...(allowedHosts.length ? { allowedHosts } : {}),
    ...(allowedOrigins.length ? { allowedOrigins } : {}),
    ...(values['body-limit'] ? { bodyLimit: values['body-limit'] } : {}),
    upstreamTimeoutMs: upstream.timeoutMs,
  });

  let server: Server;
  try {
    server = await listen(app, port, host);
  } catch (err) {
    await sdk.close();
    throw new CliError(`cannot listen on ${host}:${port}: ${(err as Error).message}`);
  }
  const addr = server.address() as AddressInfo;
  const url = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
  logger.info('serving', {
    url,
    store: isPostgresStore(storeArg) ? 'postgres' : storeDirFrom(values.store),
    upstream: describeUpstream(upstream),
    anthropic: describeAnthropic(anthropic),
    auth: keys ? `${keys.size} API key(s)` : 'trusted (no API keys)',
    cors: values.cors ?? [],
  });
  if (!loopback && !keys) {
    process.stderr.write(`warning: --insecure-no-auth: serving ${url} without API keys; anyone who can reach it can read and change every user's skills\n`);
    logger.warn('serving without API keys on a non-loopback address (--insecure-no-auth)', { url });
  }
  // One mirror per server, not per worker.
  const syncWatcher = syncDir && workerIndex() === 0 ? startServeSync(sdk, syncDir, values, defaultUser, logger) : undefined;
  const stopRelay = relayStoreChanges(sdk, logger, isPostgresStore(storeArg));
  const primary = worker ? primaryShutdown() : undefined;
  // Under --workers the primary prints the line once all workers listen.
  if (!worker) out(`autoskill listening on ${url}`);
  const preload = setTimeout(() => void mcp.preload().catch((err: unknown) => logger.warn('loading the MCP handler failed', { error: String(err) })), MCP_PRELOAD_MS);
  preload.unref();
  // The heap settles (cli/heap.ts: a compacting full GC, ~0.15 s on the bank) just after the
  // server listens rather than before: a restarted server answers its first request sooner.
  const settle = setTimeout(() => settleHeapAfterOpen(), SETTLE_HEAP_MS);
  settle.unref();

  await Promise.race([shutdownSignal(), ...(primary ? [primary.stopped] : [])]);
  clearTimeout(preload);
  clearTimeout(settle);
  stopRelay();
  await syncWatcher?.stop();
  logger.info('shutting down', { timeoutMs: shutdownMs });
  // Stop accepting, end event streams (they never end on their own), let in-flight requests finish.
  app.close();
  await mcp.close();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), shutdownMs)));
  if ((await Promise.race([closed, late])) === 'late') {
    logger.warn('in-flight requests did not finish in time; closing their connections', { timeoutMs: shutdownMs });
    server.closeAllConnections();
    await closed;
  }
  clearTimeout(timer);
  // Running jobs get time to finish; queued ones stay in the journal for the next start.
  await sdk.close();
  logger.info('stopped');
  primary?.release();
  return 0;
}

/** Repeatable, comma-separated list flags. */
function listFlag(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

const isWildcard = (host: string): boolean => host === '0.0.0.0' || host === '::' || host === '[::]';

/** Loopback listen addresses: only this machine can connect. */
function isLoopbackListen(host: string): boolean {
  const h = host.trim().toLowerCase();
  return isLoopbackName(h) || isLoopbackName(`[${h}]`) || h === '::ffff:127.0.0.1';
}

function listen(app: ReturnType<typeof createAutoskillApp>, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(server)));
    server.once('error', reject);
  });
}

/** Resolves on the first SIGTERM or SIGINT; a second one exits at once. */
function shutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      process.once('SIGTERM', () => process.exit(1));
      process.once('SIGINT', () => process.exit(130));
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
