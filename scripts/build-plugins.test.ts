import { build, type Plugin, type Rollup } from 'vite';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { polyfillAsEsModule } from './build-plugins.ts';

const ENTRY = '\0test-entry';
const NAMESPACES = ['runtime', 'storage', 'alarms', 'windows', 'tabs', 'action', 'permissions'];

/** A worker-like bundle of `import browser from 'webextension-polyfill'`, as the extension build makes it. */
async function bundleImportingPolyfill(plugins: Plugin[]): Promise<string> {
  const entry: Plugin = {
    name: 'test-entry',
    resolveId: (id) => (id === ENTRY ? id : null),
    load: (id) => (id === ENTRY ? "import browser from 'webextension-polyfill';\nglobalThis.exported = browser;\n" : null),
  };
  const out = (await build({
    configFile: false,
    logLevel: 'silent',
    plugins: [entry, ...plugins],
    build: { write: false, minify: false, rollupOptions: { input: ENTRY, output: { format: 'iife', codeSplitting: false } } },
  })) as Rollup.RollupOutput | Rollup.RollupOutput[];
  const [chunk] = (Array.isArray(out) ? out[0]! : out).output;
  return chunk.code;
}

/**
 * Runs the bundle against a Chrome-like global with a native `browser`, counting which
 * namespaces are read or have their descriptor read (in Chrome, either one builds the
 * namespace's bindings).
 */
function runCounting(code: string): { touched: string[]; exported: unknown; native: unknown } {
  const touched: string[] = [];
  const api = (name: string) => Object.fromEntries(NAMESPACES.map((ns) => [ns, { id: ns === 'runtime' ? name : undefined }]));
  const counted = (target: Record<string, unknown>) =>
    new Proxy(target, {
      get(t, key, receiver) {
        if (typeof key === 'string' && NAMESPACES.includes(key)) touched.push(key);
        return Reflect.get(t, key, receiver);
      },
      getOwnPropertyDescriptor(t, key) {
        if (typeof key === 'string' && NAMESPACES.includes(key)) touched.push(key);
        return Reflect.getOwnPropertyDescriptor(t, key);
      },
    });
  const native = counted(api('ext-id'));
  const sandbox: Record<string, unknown> = { chrome: api('ext-id'), browser: native };
  sandbox.globalThis = sandbox;
  runInNewContext(code, sandbox);
  return { touched, exported: sandbox.exported, native };
}

describe('polyfillAsEsModule', () => {
  it('hands over the native browser object without touching any API namespace but runtime', async () => {
    const { touched, exported, native } = runCounting(await bundleImportingPolyfill([polyfillAsEsModule()]));
    expect(exported).toBe(native);
    expect(new Set(touched)).toEqual(new Set(['runtime']));
  });

  it('is needed: the CommonJS interop alone reads every namespace of the native object', async () => {
    const { touched } = runCounting(await bundleImportingPolyfill([]));
    expect(new Set(touched)).toEqual(new Set(NAMESPACES));
  });
});
