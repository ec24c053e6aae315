import { defineConfig } from 'vitest/config';
import './scripts/node20-compat.ts';

/**
 * The Firefox smoke journey: Debian's firefox-esr with the Firefox build
 * (`npm run build -- --target firefox`, dist-firefox/) over WebDriver BiDi (puppeteer-core).
 */
export default defineConfig({
  test: {
    include: ['test/e2e-firefox/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 90_000,
    hookTimeout: 90_000,
    fileParallelism: false,
    maxWorkers: 1,
    retry: 0,
  },
});
