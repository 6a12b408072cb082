import { defineConfig } from 'vitest/config';

// Four lanes, one `npm test`: unit (pure functions, seconds), contract (each port implementation:
// file system, PostgreSQL, journal, vectors, usage), integration (the engine through an adapter, in
// process), e2e (spawned bins, browser, terminal, conformance). `npm run test:fast` runs unit + contract.
const lane = (name: string) => ({ extends: true as const, test: { name, include: [`test/${name}/**/*.test.ts`] } });

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The machine has 2 cores; more forks only thrash.
    maxWorkers: 2,
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.tmp/vitest-report.json' }]] : ['default'],
    projects: [lane('unit'), lane('contract'), lane('integration'), lane('e2e')],
  },
});
