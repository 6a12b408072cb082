import path from 'node:path';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { safeUserId, type Actor } from '../../engine/index.js';
import { createAutoskillMcpServer } from '../../mcp/server.js';
import { CliError, cliUserId, openSdk, out, storeDirFrom } from '../common.js';
import { helpText, parseCommand } from '../options.js';
import { SPECS } from '../specs.js';

/** How long running extractions get to finish when the client goes away (then they resume on the next start). */
const SHUTDOWN_GRACE_MS = 1500;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand(SPECS.mcp, argv);
  // --help is the one thing printed to stdout: no protocol is running yet.
  if (values.help) return (out(helpText(SPECS.mcp)), 0);
  const userId = cliUserId(values.user);
  try {
    safeUserId(userId);
  } catch (err) {
    throw new CliError(`invalid --user "${userId}": ${(err as Error).message}`, 2);
  }
  const actor: Actor = values.admin ? { userId, admin: true } : { userId };

  const sdk = await openSdk(values.store, values.review ? { learning: { review: true } } : {}, { service: true });
  const server = createAutoskillMcpServer({ sdk, actor });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    // Set before connect(): the SDK chains its own close handling after this one.
    transport.onclose = resolve;
  });
  const stop = () => void server.close().catch(() => undefined);
  // The stdio transport does not notice a client that went away; stdin ending is that signal.
  process.stdin.once('end', stop);
  process.stdin.once('close', stop);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await server.connect(transport);
    const store = storeDirFrom(values.store);
    process.stderr.write(
      `autoskill mcp: serving ${/^[a-z][a-z0-9+.-]*:\/\//i.test(store) ? 'the store' : path.resolve(store)} for user "${userId}"${actor.admin ? ' (admin)' : ''}${values.review ? ', review mode (learned skills wait for approve_skill)' : ''} over stdio\n`,
    );
    await closed;
    return 0;
  } finally {
    process.stdin.off('end', stop);
    process.stdin.off('close', stop);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await sdk.learning.stop({ timeoutMs: SHUTDOWN_GRACE_MS });
    await sdk.close();
  }
}
