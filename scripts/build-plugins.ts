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

export interface ScriptModules {
  /** The folder the module keys are relative to (src/). */
  srcDir: string;
  /** The modules the other script holds, by path under srcDir. */
  modules: readonly string[];
  /** The module whose `credentialsModule(key)` gives one of them (it imports the script on first use). */
  loader: string;
}

const DYNAMIC_IMPORT = /\bimport\(\s*(['"])([^'"\n]+)\1\s*\)/g;

/**
 * For the worker's start bundle: every `import()` of a module that credentials.js holds
 * becomes `credentialsModule(key)`, which imports that script on first use and gives
 * the module's namespace — what the `import()` would have given. Left alone, the
 * bundler would inline those modules into background.js (a classic worker cannot
 * `import()` at run time), to be parsed at every start.
 */
export function credentialsFromScript({ srcDir, modules, loader }: ScriptModules): Plugin {
  const root = srcDir.replace(/\\/g, '/').replace(/\/?$/, '/');
  return {
    name: 'tessera:credentials-from-script',
    enforce: 'pre',
    async transform(code, id) {
      const file = id.replace(/\\/g, '/');
      if (!file.startsWith(root) || !code.includes('import(')) return null;
      let out = '';
      let last = 0;
      for (const match of code.matchAll(DYNAMIC_IMPORT)) {
        const resolved = await this.resolve(match[2] as string, id);
        const target = resolved?.id.replace(/\\/g, '/');
        const key = target?.startsWith(root) ? target.slice(root.length) : null;
        if (key === null || !modules.includes(key)) continue;
        out += code.slice(last, match.index) + `import(${JSON.stringify(loader)}).then((script) => script.credentialsModule(${JSON.stringify(key)}))`;
        last = match.index + match[0].length;
      }
      return last === 0 ? null : { code: out + code.slice(last), map: null };
    },
  };
}
