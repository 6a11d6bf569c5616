import { defineConfig } from 'vitest/config';

// Benchmarks that use the test helpers (figures are printed, never asserted on time):
//   npx vitest run --config bench/vitest.config.ts
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['bench/**/*.test.ts'],
    testTimeout: 600_000,
    pool: 'forks',
  },
});
