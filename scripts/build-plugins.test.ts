import { build, type Plugin, type Rollup } from 'vite';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { credentialsFromScript, polyfillAsEsModule } from './build-plugins.ts';

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

describe('credentialsFromScript', () => {
  /** A tiny source tree: start.ts imports `heavy.ts` (in the other script) and `light.ts` (not) with import(). */
  async function bundle(): Promise<string> {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const src = mkdtempSync(join(tmpdir(), 'tessera-script-modules-'));
    writeFileSync(join(src, 'start.ts'), "export const heavy = () => import('./heavy.ts');\nexport const light = () => import('./light.ts');\n(globalThis as any).start = { heavy, light };\n");
    writeFileSync(join(src, 'heavy.ts'), "export const marker = 'HEAVY_MODULE_BODY';\n");
    writeFileSync(join(src, 'light.ts'), "export const marker = 'LIGHT_MODULE_BODY';\n");
    writeFileSync(join(src, 'loader.ts'), 'export function credentialsModule(key: string) { return (globalThis as any).script[key]; }\n');
    const out = (await build({
      configFile: false,
      logLevel: 'silent',
      plugins: [credentialsFromScript({ srcDir: src, modules: ['heavy.ts'], loader: join(src, 'loader.ts') })],
      build: { write: false, minify: false, modulePreload: false, rollupOptions: { input: join(src, 'start.ts'), output: { format: 'iife', codeSplitting: false } } },
    })) as Rollup.RollupOutput | Rollup.RollupOutput[];
    return (Array.isArray(out) ? out[0]! : out).output[0].code;
  }

  it("turns import() of a module the other script holds into that script's module, and inlines the rest", async () => {
    const code = await bundle();
    expect(code).not.toContain('HEAVY_MODULE_BODY');
    expect(code).toContain('LIGHT_MODULE_BODY');
    const heavyNamespace = { marker: 'from the other script' };
    const sandbox: Record<string, unknown> = { script: { 'heavy.ts': heavyNamespace } };
    sandbox.globalThis = sandbox;
    sandbox.self = sandbox;
    runInNewContext(code, sandbox);
    const start = sandbox.start as { heavy: () => Promise<unknown>; light: () => Promise<{ marker: string }> };
    expect(await start.heavy()).toBe(heavyNamespace);
    expect((await start.light()).marker).toBe('LIGHT_MODULE_BODY');
  });
});
