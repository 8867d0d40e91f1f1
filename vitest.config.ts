import { defineConfig } from 'vitest/config';

/** Files that belong to a tier other than unit. */
const TIERED = ['test/**/*.integration.test.ts', 'test/redis/**', 'test/browser/**'];

export default defineConfig({
  // Resolve packages exactly as Node does. Vite's default adds the `development` condition, which
  // makes graphql 17 load its __dev__ build next to the one Pothos gets from Node: two graphql
  // instances in one schema.
  resolve: { conditions: ['module-sync', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['module-sync', 'node', 'import', 'default'], externalConditions: ['module-sync', 'node'] } },
  test: {
    // Worker threads and real sockets: give each file its own process, and time enough on a
    // loaded 2-core CI machine without letting a hung test stall the run.
    pool: 'forks',
    // Memory assertions collect garbage first.
    execArgv: ['--expose-gc'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // A flaky test is a bug to fix, not to retry.
    retry: 0,
    // expect.poll waits on a condition; its 1 s default is shorter than a cold function start on
    // a loaded 2-core machine. Passing conditions still return at once.
    expect: { poll: { timeout: 10_000 } },
    // Tiers, by what a test needs. `npm run test:unit` runs the first alone, in seconds;
    // `npm test` runs them all.
    projects: [
      {
        extends: true,
        // No ports, workers or processes: test/setup/unit-tier.ts refuses them.
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...TIERED],
          setupFiles: ['test/setup/unit-tier.ts'],
          // Files share a worker's module cache: importing the whole gateway once per file was two
          // thirds of the tier's time. Safe because no unit test mocks a module or keeps state in
          // one (fake timers are restored after each test); a shuffled run checks it.
          isolate: false,
        },
      },
      // Real servers on port 0, the real SDK against the local Lambda, child processes.
      {
        extends: true,
        test: { name: 'integration', include: ['test/**/*.integration.test.ts'], exclude: ['test/redis/**', 'test/browser/**'] },
      },
      // A real redis-server of each test's own.
      { extends: true, test: { name: 'redis', include: ['test/redis/**/*.test.ts'] } },
      // Debian's Chromium through playwright-core.
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'] } },
    ],
  },
});
