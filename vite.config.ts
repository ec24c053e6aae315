import { defineConfig, type InlineConfig, type Plugin } from 'vite';
import { resolve } from 'node:path';

/**
 * The extension is built in four passes (scripts/build.ts runs them):
 * - `ui`: the Preact pages (approval, popup, dashboard, onboarding) as HTML entries;
 * - `background`: the service worker, one classic script (IIFE). Chrome starts a classic
 *   worker about twice as fast as the same code as a module worker (measured with
 *   DevTools ServiceWorker.startWorker, median of 20 alternated starts: 82–101 ms
 *   against 183–251 ms for the module build, the baseline module worker 143–193 ms),
 *   which fits V8's code cache serving classic worker scripts only. The code is the
 *   same: no static imports are left after bundling and dynamic ones are inlined.
 *   manifest.json declares the worker without `"type": "module"` to get it (an IIFE
 *   also runs as a module, only without that gain);
 * - `content` and `inpage`: classic scripts (IIFE), as Chrome requires for content scripts.
 * Every pass writes into the same out dir (default `dist/`).
 */
export type BuildTarget = 'ui' | 'background' | 'content' | 'inpage';

const root = import.meta.dirname;
const ui = resolve(root, 'src/ui');

export function extensionBuildConfig(target: BuildTarget, outDir = resolve(root, 'dist')): InlineConfig {
  const common: InlineConfig = {
    configFile: false,
    logLevel: 'warn',
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      outDir,
      emptyOutDir: false,
      target: 'chrome120',
      minify: true,
      sourcemap: false,
      modulePreload: false,
      reportCompressedSize: false,
      chunkSizeWarningLimit: 2048,
    },
  };
  if (target === 'ui') {
    return {
      ...common,
      root: ui,
      base: '/',
      publicDir: resolve(root, 'public'),
      build: {
        ...common.build,
        emptyOutDir: true,
        // <link rel="modulepreload"> for every chunk a page needs, so the window fetches
        // them in parallel instead of one import at a time (no inline polyfill: CSP).
        modulePreload: { polyfill: false },
        rollupOptions: {
          input: {
            approval: resolve(ui, 'approval/index.html'),
            popup: resolve(ui, 'popup/index.html'),
            dashboard: resolve(ui, 'dashboard/index.html'),
            onboarding: resolve(ui, 'onboarding/index.html'),
          },
        },
      },
    };
  }
  const entry = resolve(root, `src/${target}/index.ts`);
  return {
    ...common,
    // A classic script has no import.meta; the worker's own URL is what it meant
    // (only Vite's preload helper reads it, for dependencies an inlined import never has).
    define: { ...common.define, 'import.meta.url': 'self.location.href', 'import.meta.resolve': 'undefined' },
    publicDir: false,
    plugins: [stubVeramoPluginSchemas()],
    resolve: {
      // See each stub for why: both are large, and the wallet never uses what they hold.
      alias: {
        'z-schema': resolve(root, 'src/background/build-stubs/z-schema.ts'),
        ethers: resolve(root, 'src/background/build-stubs/ethers.ts'),
      },
    },
    build: {
      ...common.build,
      rollupOptions: {
        input: entry,
        output: {
          format: 'iife',
          entryFileNames: `${target}.js`,
          codeSplitting: false,
        },
      },
    },
  };
}

/** Replaces @veramo/core-types' plugin JSON schemas (see the stub for why). */
function stubVeramoPluginSchemas(): Plugin {
  const stub = resolve(root, 'src/background/build-stubs/veramo-plugin-schemas.ts');
  return {
    name: 'tessera:stub-veramo-plugin-schemas',
    enforce: 'pre',
    resolveId(source, importer) {
      const fromCoreTypes = importer?.replace(/\\/g, '/').includes('/@veramo/core-types/build/');
      return fromCoreTypes && source === './plugin.schema.js' ? stub : null;
    },
  };
}

// `vite` alone (dev tooling) gets the UI pass.
export default defineConfig(extensionBuildConfig('ui'));
