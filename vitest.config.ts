import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Worker threads and real sockets: give each file its own process, and time enough on a
    // loaded 2-core CI machine without letting a hung test stall the run.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // A flaky test is a bug to fix, not to retry.
    retry: 0,
  },
});
