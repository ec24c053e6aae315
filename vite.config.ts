import { defineConfig, type InlineConfig, type Plugin } from 'vite';
import { resolve } from 'node:path';
import { credentialsFromScript, polyfillAsEsModule } from './scripts/build-plugins.ts';
import { CREDENTIAL_SCRIPT_MODULES } from './src/background/adapters/lazy-credentials.ts';

/**
 * The extension is built in six passes (scripts/build.ts runs them):
 * - `ui`: the Preact pages (approval, popup, dashboard, onboarding) as HTML entries;
 * - `background`: the service worker, one classic script (IIFE). Chrome starts a classic
 *   worker about twice as fast as the same code as a module worker (measured with
 *   DevTools ServiceWorker.startWorker, median of 20 alternated starts: 82–101 ms
 *   against 183–251 ms for the module build, the baseline module worker 143–193 ms),
 *   which fits V8's code cache serving classic worker scripts only. The code is the
 *   same: no static imports are left after bundling and dynamic ones are inlined.
 *   manifest.json declares the worker without `"type": "module"` to get it (an IIFE
 *   also runs as a module, only without that gain);
 * - `chain`: the worker's second classic script, chain.js (viem and the chain client,
 *   src/background/chain-entry.ts). A service worker cannot import() and Vite inlines
 *   dynamic imports, so code kept out of background.js must be a script of its own; the
 *   worker imports it during `install` and again when the chain is first used
 *   (src/background/index.ts, adapters/lazy-anchor-chain.ts);
 * - `credentials`: the third, credentials.js (src/background/credentials-entry.ts): the
 *   modules background.js only reaches through `import()` (the credential use cases,
 *   the Veramo agent, DID resolution), each such `import()` in the background pass made
 *   a load of this script (adapters/lazy-credentials.ts), imported at `install` too;
 * - `content` and `inpage`: classic scripts (IIFE), as Chrome requires for content scripts.
 * Every pass writes into the same out dir (default `dist/`).
 */
export type BuildTarget = 'ui' | 'background' | 'chain' | 'credentials' | 'content' | 'inpage';

const ENTRIES: Record<Exclude<BuildTarget, 'ui'>, string> = {
  background: 'src/background/index.ts',
  chain: 'src/background/chain-entry.ts',
  credentials: 'src/background/credentials-entry.ts',
  content: 'src/content/index.ts',
  inpage: 'src/inpage/index.ts',
};

/**
 * Modules the worker's bundler may drop when nothing uses their exports. Each holds a
 * Veramo class we never construct, re-exported by a package index we import from, and
 * defined with `class … extends`, which the bundler must otherwise keep in case it has
 * effects (it has none: a class and its imports):
 * - kms-local's SecretBox (and with it all of @stablelib/nacl): our vault encrypts;
 * - did-resolver's UniversalResolver (and cross-fetch): we resolve did:key and did:jwk locally.
 */
const UNUSED_WITHOUT_EFFECTS = ['/node_modules/@veramo/kms-local/build/secret-box.js', '/node_modules/@veramo/did-resolver/build/universal-resolver.js'];

/**
 * One copy each in the worker: did-jwt pins multiformats 9 and uint8arrays 3,
 * @veramo/key-manager's uint8arrays 4 brings multiformats 12, and the top level has
 * multiformats 13. What did-jwt and Veramo use of them (base16/58btc/64url and UTF-8
 * conversion, varint) is the same in every version, so each resolves to the top-level
 * package instead of bundling four codec tables.
 */
const SHARED_IN_WORKER = ['multiformats', 'uint8arrays'];

const root = import.meta.dirname;
const ui = resolve(root, 'src/ui');

export function extensionBuildConfig(target: BuildTarget, outDir = resolve(root, 'dist')): InlineConfig {
  const common: InlineConfig = {
    configFile: false,
    logLevel: 'warn',
    plugins: [polyfillAsEsModule()],
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
  const entry = resolve(root, ENTRIES[target]);
  return {
    ...common,
    // A classic script has no import.meta; the worker's own URL is what it meant
    // (only Vite's preload helper reads it, for dependencies an inlined import never has).
    define: { ...common.define, 'import.meta.url': 'self.location.href', 'import.meta.resolve': 'undefined' },
    publicDir: false,
    plugins: [polyfillAsEsModule(), stubVeramoPluginSchemas(), ...(target === 'background' ? workerStartPlugins() : [])],
    resolve: {
      // See each stub for why: each is large, and the worker never uses what it holds.
      alias: {
        'z-schema': resolve(root, 'src/background/build-stubs/z-schema.ts'),
        ethers: resolve(root, 'src/background/build-stubs/ethers.ts'),
        debug: resolve(root, 'src/background/build-stubs/debug.ts'),
      },
      dedupe: SHARED_IN_WORKER,
    },
    build: {
      ...common.build,
      rollupOptions: {
        input: entry,
        treeshake: {
          moduleSideEffects: (id: string) => !UNUSED_WITHOUT_EFFECTS.some((path) => id.replace(/\\/g, '/').endsWith(path)),
        },
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

/** The background pass's own plugins: the credential modules come from credentials.js, and stay out. */
function workerStartPlugins(): Plugin[] {
  const srcDir = resolve(root, 'src');
  return [
    credentialsFromScript({ srcDir, modules: CREDENTIAL_SCRIPT_MODULES, loader: resolve(root, 'src/background/adapters/lazy-credentials.ts') }),
    keepOutOfWorkerStart(CREDENTIAL_SCRIPT_MODULES.map((m) => resolve(srcDir, m).replace(/\\/g, '/'))),
  ];
}

/**
 * Fails the background pass if code that has its own script reaches it: viem belongs
 * in chain.js; the credential modules (reached statically instead of through
 * `import()`) and the libraries only they use belong in credentials.js.
 */
function keepOutOfWorkerStart(credentialModules: string[]): Plugin {
  const chainPackages = /\/node_modules\/(viem|ox|abitype)\//;
  const credentialPackages = /\/node_modules\/(dcql|jose|did-jwt|did-jwt-vc|@veramo\/[^/]+|@sd-jwt\/[^/]+)\//;
  return {
    name: 'tessera:keep-out-of-background',
    generateBundle() {
      const ids = [...this.getModuleIds()].map((id) => id.replace(/\\/g, '/'));
      const chain = ids.filter((id) => chainPackages.test(id));
      if (chain.length > 0) {
        this.error(`background.js must not contain the chain client (it is chain.js, loaded on demand); it imports ${chain.slice(0, 3).join(', ')}`);
      }
      const credentials = ids.filter((id) => credentialModules.includes(id) || credentialPackages.test(id));
      if (credentials.length > 0) {
        this.error(`background.js must not contain ${credentials.join(', ')} (credentials.js holds it; reach it with import())`);
      }
    },
  };
}

// `vite` alone (dev tooling) gets the UI pass.
export default defineConfig(extensionBuildConfig('ui'));
