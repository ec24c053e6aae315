import { defineConfig } from 'vitest/config';
import './scripts/node20-compat.ts';

/** Unit and integration tests: core and adapters in Node (DESIGN.md §7). */
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'cli/**/*.test.ts', 'test/reliability/**/*.test.ts', 'test/chain/**/*.test.ts', 'test/independent/**/*.test.ts', 'demo/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
