import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Resolve packages exactly as Node does. Vite's default adds the `development` condition, which
  // makes graphql 17 load its __dev__ build next to the one Pothos gets from Node: two graphql
  // instances in one schema.
  resolve: { conditions: ['module-sync', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['module-sync', 'node', 'import', 'default'], externalConditions: ['module-sync', 'node'] } },
  test: {
    include: ['test/**/*.test.ts'],
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
  },
});
