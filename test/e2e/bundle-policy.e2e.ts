/**
 * The built extension keeps MV3's rules: a strict CSP without 'unsafe-eval', no
 * remote code, no eval in our bundles — and the CSP is really in force in the worker.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  DEFAULT_EXTENSION_DIR,
  evaluateWith,
  getServiceWorker,
  launchWithExtension,
  stopServiceWorkers,
  type ExtensionBrowser,
} from '../../scripts/lib/extension-browser.ts';

const dist = process.env.TESSERA_EXTENSION_DIR ?? DEFAULT_EXTENSION_DIR;
const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as {
  content_security_policy: { extension_pages: string };
  background: { service_worker: string; type: string };
  content_scripts: { js: string[]; world?: string }[];
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const scripts = filesUnder(dist).filter((f) => f.endsWith('.js'));
const pages = filesUnder(dist).filter((f) => f.endsWith('.html'));

describe('bundle policy', () => {
  test('the manifest CSP allows only the extension itself to run scripts', () => {
    const csp = manifest.content_security_policy.extension_pages;
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|wasm-unsafe-eval|https?:/);
    // A classic worker (the build emits one script): Chrome starts it about twice as fast as a module worker.
    expect(manifest.background).toEqual({ service_worker: 'background.js' });
  });

  test('no page loads remote or inline scripts', () => {
    expect(pages.length).toBeGreaterThanOrEqual(4);
    for (const page of pages) {
      const html = readFileSync(page, 'utf8');
      expect(html, page).not.toMatch(/<script[^>]+src=["']?(https?:)?\/\//i);
      expect(html, page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>\s*\S/i);
    }
  });

  test('no bundle calls eval, and Function() appears only as the global-object fallback that never runs in a worker', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(4);
    for (const file of scripts) {
      const code = readFileSync(file, 'utf8');
      expect(code, file).not.toMatch(/\beval\s*\(/);
      const functionCalls = code.match(/(?:new\s+)?\bFunction\s*\([^)]*\)/g) ?? [];
      // lodash's `freeGlobal || freeSelf || Function('return this')()`: `self` exists first.
      for (const call of functionCalls) expect(call, `${file}: ${call}`).toBe('Function(`return this`)');
      expect(code, file).not.toMatch(/importScripts\s*\(\s*["'`]https?:/);
      expect(code, file).not.toMatch(/import\s*\(\s*["'`]https?:/);
    }
  });

  test('chain.js, the chain client the worker loads on demand, is a classic script that evaluates no code', () => {
    const code = readFileSync(resolve(dist, 'chain.js'), 'utf8');
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).not.toMatch(/\beval\s*\(|\bFunction\s*\(/);
    // The worker's start bundle only names it; viem lives here alone.
    expect(code).toMatch(/__tesseraChain/);
    expect(readFileSync(resolve(dist, 'background.js'), 'utf8')).not.toMatch(/eth_sendRawTransaction/);
  });

  test('credentials.js, the credential code the worker loads on demand, is a classic script and the start bundle holds none of it', () => {
    const code = readFileSync(resolve(dist, 'credentials.js'), 'utf8');
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).not.toMatch(/\bimport\s*\(/);
    expect(code).toMatch(/__tesseraCredentials/);
    // jose (one of the libraries only credential code uses) is here, not in background.js.
    expect(code).toMatch(/ERR_JWS_SIGNATURE_VERIFICATION_FAILED/);
    expect(readFileSync(resolve(dist, 'background.js'), 'utf8')).not.toMatch(/ERR_JWS_SIGNATURE_VERIFICATION_FAILED/);
  });

  test('the content scripts are classic scripts: the inpage one in the MAIN world', () => {
    const [inpage, content] = manifest.content_scripts;
    expect(inpage).toMatchObject({ js: ['inpage.js'], world: 'MAIN' });
    expect(content?.js).toEqual(['content.js']);
    for (const name of ['inpage.js', 'content.js']) {
      const code = readFileSync(resolve(dist, name), 'utf8');
      expect(code, name).not.toMatch(/^\s*(import|export)\s/m);
    }
  });
});

describe('CSP in force', () => {
  let browser: ExtensionBrowser;
  beforeAll(async () => {
    browser = await launchWithExtension({ extensionDirs: [dist] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  // DevTools' own evaluate is exempt from CSP, so the probe is a script element the
  // page itself would run: the extension CSP must block it and report the violation.
  test('an extension page refuses inline script and reports the violation', async () => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/popup/index.html`);
    const outcome = await page.evaluate(
      () =>
        new Promise<{ ran: boolean; violated: string | null }>((resolve) => {
          let violated: string | null = null;
          document.addEventListener('securitypolicyviolation', (e) => (violated = e.effectiveDirective));
          const script = document.createElement('script');
          script.textContent = 'window.__inlineRan = true';
          document.head.append(script);
          setTimeout(() => resolve({ ran: (window as { __inlineRan?: boolean }).__inlineRan === true, violated }), 300);
        }),
    );
    expect(outcome).toEqual({ ran: false, violated: 'script-src-elem' });
    await page.close();
  });
});

describe('chain code loaded on demand', () => {
  let browser: ExtensionBrowser;
  beforeAll(async () => {
    browser = await launchWithExtension({ extensionDirs: [dist] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  // Hardhat's published account 0: a key whose address everyone knows.
  const KEY = 'ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
  const ADDRESS = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';

  /** Stops the worker and returns the fresh one (a marker set before the stop is gone). */
  async function restartedWorker(): Promise<Worker> {
    const before = await getServiceWorker(browser.context, browser.extensionId);
    await before.evaluate(() => ((globalThis as { __beforeRestart?: boolean }).__beforeRestart = true));
    for (let attempt = 0; attempt < 5; attempt++) {
      // A worker still settling its install may not be stopped yet: stop until one is.
      if ((await stopServiceWorkers(browser.context)).length === 0) continue;
      const worker = await getServiceWorker(browser.context, browser.extensionId);
      if (await worker.evaluate(() => (globalThis as { __beforeRestart?: boolean }).__beforeRestart !== true)) return worker;
    }
    throw new Error('the service worker did not restart');
  }

  test('a restarted worker has not loaded chain.js, can import it at any time, and its chain client works there', async () => {
    // The installing worker imported (and so ran) chain.js: that is what keeps it importable.
    const installed = await getServiceWorker(browser.context, browser.extensionId);
    expect(await installed.evaluate(() => typeof globalThis.__tesseraChain)).toBe('object');

    let worker = await restartedWorker();
    expect(await worker.evaluate(() => typeof globalThis.__tesseraChain)).toBe('undefined');

    const address = await evaluateWith(
      worker,
      async (keyHex: string) => {
        importScripts('chain.js');
        const key = Uint8Array.from(keyHex.match(/../g) ?? [], (h) => parseInt(h, 16));
        return globalThis.__tesseraChain?.createViemAnchorChain().address(key);
      },
      KEY,
    );
    expect(address).toBe(ADDRESS);

    // Again after another restart: what the worker imported at install stays importable...
    worker = await restartedWorker();
    expect(await worker.evaluate(() => typeof globalThis.__tesseraChain)).toBe('undefined');
    expect(await worker.evaluate(() => (importScripts('chain.js'), typeof globalThis.__tesseraChain?.createViemAnchorChain))).toBe('function');
    // ...and a script of the extension it did not import then is refused: the install import is what makes chain.js loadable.
    expect(
      await worker.evaluate(() => {
        try {
          importScripts('inpage.js');
          return 'imported';
        } catch (error) {
          return (error as Error).name;
        }
      }),
    ).toBe('NetworkError');
  });
});
