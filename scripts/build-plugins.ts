/**
 * Vite plugins of the extension build (vite.config.ts uses them), kept apart so they are
 * tested on their own (build-plugins.test.ts).
 */
import type { Plugin } from 'vite';

const POLYFILL = '/node_modules/webextension-polyfill/dist/browser-polyfill.js';

/**
 * Loads webextension-polyfill (a UMD script) as an ES module whose default export is
 * what the script puts in `module.exports`. Bundled as CommonJS instead, the bundler's
 * interop copies that export's properties, reading each one's descriptor: where Chrome
 * has a native `browser` (which the polyfill hands back as it is), each read
 * instantiates an API namespace, so every worker start and every extension page built
 * all of them (about 4 ms in a cold worker) before using any.
 */
export function polyfillAsEsModule(): Plugin {
  return {
    name: 'tessera:webextension-polyfill-as-es-module',
    enforce: 'pre',
    transform(code, id) {
      if (!id.replace(/\\/g, '/').endsWith(POLYFILL)) return null;
      return { code: polyfillModuleSource(code), map: null };
    },
  };
}

/** The UMD script wrapped so it takes its CommonJS branch and exports the result. */
export function polyfillModuleSource(umd: string): string {
  return `const module = { exports: {} };\nconst exports = module.exports;\n${umd}\nexport default module.exports;\n`;
}
