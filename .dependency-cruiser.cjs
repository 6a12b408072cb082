/**
 * Module boundaries (issue #14), checked by `npm run lint:deps` in CI before the tests.
 *
 * 1. The engine is headless: nothing under src/engine imports a web, model or database framework,
 *    so the SDK runs anywhere and adapters stay optional.
 * 2. Adapters, the MCP server and the CLI use the engine through its public entry points only:
 *    - src/engine/index.ts  the facade (AutoSkill and its services), the access policy, skill
 *                           values and helpers, the turn pipeline's types, errors, logger;
 *    - src/engine/ports/    the port contracts adapters implement (chat messages, LLM, embedder);
 *    - src/index.ts         the package root.
 *    Reaching into any other engine module (a store, the learner, the index) is how policy got
 *    copied into adapters before; the facade's services are the way in.
 * 3. The PostgreSQL backend (src/engine/store/postgres/, beside the filesystem one; the package
 *    entry autoskill/postgres re-exports it from src/adapters/postgres/) is a backend, not a
 *    surface: it implements the store, journal, usage
 *    and vector ports and reuses the engine's store helpers (locks, listeners, tombstones, job
 *    claims) to do so. It may import those, but never the facade, its services, retrieval, the
 *    turn pipeline or the learner: a backend serves the engine, it does not drive it.
 *
 * Type-only imports count too (tsPreCompilationDeps): a type from an internal module couples the
 * adapter to that module just the same.
 */
const FRAMEWORKS = [
  'express',
  'ai',
  '@ai-sdk/[^/]+',
  '@langchain/[^/]+',
  'langchain',
  'pg',
  'pg-[^/]+',
  '@modelcontextprotocol/[^/]+',
  'openai',
];
// Resolved (…node_modules/<pkg>/…, wherever that node_modules is) and unresolved (a bare "<pkg>"
// or "<pkg>/sub") specifiers alike.
const names = FRAMEWORKS.join('|');
const frameworkPath = `(^|/)node_modules/(${names})/|^(${names})(/|$)`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'engine-imports-no-framework',
      severity: 'error',
      comment:
        'src/engine is headless: frameworks belong in src/adapters, src/mcp or src/cli. The one exception is the ' +
        'PostgreSQL backend (src/engine/store/postgres/), which needs pg and is loaded only by its preset.',
      from: { path: '^src/engine/', pathNot: '^src/engine/store/postgres/' },
      to: { path: frameworkPath },
    },
    {
      name: 'adapters-use-engine-entry-points',
      severity: 'error',
      comment:
        'Adapters, MCP and the CLI import the engine through src/engine/index.ts (facade, services, policy), ' +
        'src/engine/ports/ (port contracts), or the package root src/index.ts; never an engine internal.',
      from: { path: '^src/(adapters|mcp|cli)/', pathNot: '^src/adapters/postgres/' },
      to: { path: '^src/engine/', pathNot: ['^src/engine/index[.]ts$', '^src/engine/ports/'] },
    },
    {
      name: 'postgres-loaded-only-by-its-preset',
      severity: 'error',
      comment:
        'pg is an optional peer: the rest of the engine reaches src/engine/store/postgres/ only through ' +
        'store/backends.ts, whose postgresBackends() imports it dynamically.',
      from: { path: '^src/engine/', pathNot: ['^src/engine/store/postgres/', '^src/engine/store/backends[.]ts$'] },
      to: { path: '^src/engine/store/postgres/' },
    },
    {
      name: 'backend-does-not-drive-the-engine',
      severity: 'error',
      comment:
        'src/adapters/postgres implements ports; it may use the store/jobs/skill helpers but not the facade, services, ' +
        'retrieval, the turn pipeline or the learner.',
      from: { path: '^src/(adapters|engine/store)/postgres/' },
      to: { path: '^src/engine/(autoskill[.]ts|services/|retrieve/|turn/|learn/learner[.]ts)' },
    },
    {
      name: 'testing-hooks-stay-in-tests',
      severity: 'error',
      comment:
        'src/engine/testing.ts lets tests observe what the facade keeps #private (the index probe). Only tests ' +
        'import it; product code that did would reopen the door the private fields close.',
      from: { path: '^src/', pathNot: '^src/engine/testing[.]ts$' },
      to: { path: '^src/engine/testing[.]ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Count `import type` as well: it ties an adapter to an internal module all the same.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts', '.json'],
    },
    // node_modules stays in the graph (the framework rule needs its edges); it is just not followed.
    exclude: { path: '^dist/' },
  },
};
