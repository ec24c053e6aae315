import { defineConfig } from 'vitest/config';
import './scripts/node20-compat.ts';

/**
 * End-to-end journeys: a real Chromium (playwright-core) with the built extension
 * from dist/ loaded. One file at a time: the machine has two cores.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    maxWorkers: 1,
    retry: 0,
  },
});
