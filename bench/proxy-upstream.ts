/**
 * The bench's fake upstream in its own process (bench/proxy.ts spawns it), so that the direct
 * measurement and the proxy's calls to it cost the same wherever they come from, and the load
 * generator's event loop is not the upstream's. Prints its base URL; SIGTERM stops it.
 */
import { startFakeUpstream } from '../test/helpers/fake-upstream.js';

const up = await startFakeUpstream();
// Recorded requests are kept for tests; a bench sends tens of thousands, so drop them.
const trim = setInterval(() => (up.requests.length = 0), 1000);
process.stdout.write(`${up.url}\n`);
process.once('SIGTERM', () => {
  clearInterval(trim);
  void up.close().then(() => process.exit(0));
});
