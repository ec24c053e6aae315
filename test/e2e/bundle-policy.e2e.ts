/**
 * The built extension keeps MV3's rules: a strict CSP without 'unsafe-eval', no
 * remote code, no eval in our bundles — and the CSP is really in force in the worker.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_EXTENSION_DIR, launchWithExtension, type ExtensionBrowser } from '../../scripts/lib/extension-browser.ts';

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
