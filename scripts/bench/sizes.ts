/**
 * Gzip sizes (zlib level 9) of each entry bundle: the service worker's start script,
 * its chain client (chain.js, imported only when anchoring first needs the chain), its
 * credential code (credentials.js, imported when a credential or a new DID is first needed), the
 * two content scripts, and per UI page the JS and CSS its index.html loads, following
 * the script and stylesheet tags and the static imports between the emitted chunks.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, posix, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface FileSize {
  /** Path relative to the extension root. */
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface EntrySize {
  entry: string;
  /** Sum over the files (each gzipped on its own, as they are stored and loaded). */
  bytes: number;
  gzipBytes: number;
  files: FileSize[];
  /** Chunks reachable only through dynamic import() (loaded later, not counted). */
  lazyFiles: string[];
}

export function gzipSize(buffer: Buffer): number {
  return gzipSync(buffer, { level: 9 }).length;
}

function fileSize(root: string, file: string): FileSize {
  const buffer = readFileSync(join(root, file));
  return { file, bytes: buffer.length, gzipBytes: gzipSize(buffer) };
}

function entryOf(entry: string, root: string, files: string[], lazy: string[] = []): EntrySize {
  const sizes = files.map((f) => fileSize(root, f));
  return {
    entry,
    bytes: sizes.reduce((a, s) => a + s.bytes, 0),
    gzipBytes: sizes.reduce((a, s) => a + s.gzipBytes, 0),
    files: sizes,
    lazyFiles: lazy,
  };
}

/** Resolves a URL from an HTML or JS file to a path relative to the extension root. */
function resolveRef(root: string, fromFile: string, ref: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref) || ref.startsWith('//')) return null; // remote or data: — not ours
  const clean = ref.split(/[?#]/)[0] ?? '';
  const rel = clean.startsWith('/') ? clean.slice(1) : posix.join(posix.dirname(fromFile), clean);
  const normalised = posix.normalize(rel);
  return existsSync(join(root, normalised)) ? normalised : null;
}

const SCRIPT_SRC = /<script\b[^>]*\bsrc\s*=\s*["']([^"']+)["'][^>]*>/gi;
const LINK_TAG = /<link\b[^>]*>/gi;
const HREF = /\bhref\s*=\s*["']([^"']+)["']/i;
const REL = /\brel\s*=\s*["']([^"']+)["']/i;
/** `import x from "./a.js"`, `import "./a.js"`, `export * from "./a.js"` (minified or not). */
const STATIC_IMPORT = /(?:^|[^\w$.])(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?["']([^"']+\.(?:m?js|css))["']/g;
const DYNAMIC_IMPORT = /(?:^|[^\w$.])import\s*\(\s*["']([^"']+)["']\s*\)/g;
const CSS_IMPORT = /@import\s+(?:url\()?["']?([^"')\s;]+)["']?\)?/g;

/** The JS and CSS an HTML page loads, with the static imports closed over. */
export function pageEntry(root: string, htmlFile: string, entry = htmlFile): EntrySize {
  const html = readFileSync(join(root, htmlFile), 'utf8');
  const roots: string[] = [];
  for (const m of html.matchAll(SCRIPT_SRC)) {
    const ref = m[1] ? resolveRef(root, htmlFile, m[1]) : null;
    if (ref) roots.push(ref);
  }
  for (const m of html.matchAll(LINK_TAG)) {
    const tag = m[0];
    const rel = REL.exec(tag)?.[1]?.toLowerCase() ?? '';
    const href = HREF.exec(tag)?.[1];
    if (!href || !/(^|\s)(stylesheet|modulepreload)(\s|$)/.test(rel)) continue;
    const ref = resolveRef(root, htmlFile, href);
    if (ref) roots.push(ref);
  }
  const seen = new Set<string>();
  const lazy = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(join(root, file), 'utf8');
    const pattern = file.endsWith('.css') ? CSS_IMPORT : STATIC_IMPORT;
    for (const m of text.matchAll(pattern)) {
      const ref = m[1] ? resolveRef(root, file, m[1]) : null;
      if (ref && !seen.has(ref)) queue.push(ref);
    }
    if (!file.endsWith('.css')) {
      for (const m of text.matchAll(DYNAMIC_IMPORT)) {
        const ref = m[1] ? resolveRef(root, file, m[1]) : null;
        if (ref) lazy.add(ref);
      }
    }
  }
  for (const f of seen) lazy.delete(f);
  return entryOf(entry, root, [...seen], [...lazy]);
}

/** Tessera's entry bundles in dist/: background, chain, content, inpage, and each UI page. */
export function tesseraSizes(distDir: string): EntrySize[] {
  const root = resolve(distDir);
  const out: EntrySize[] = [];
  for (const f of ['background.js', 'chain.js', 'credentials.js', 'content.js', 'inpage.js']) {
    if (!existsSync(join(root, f))) throw new Error(`missing ${f} in ${root} (did the build run?)`);
    out.push(entryOf(f, root, [f]));
  }
  const pages = readdirSync(root)
    .filter((d) => statSync(join(root, d)).isDirectory() && existsSync(join(root, d, 'index.html')))
    .sort();
  for (const d of pages) out.push(pageEntry(root, `${d}/index.html`, `${d} page`));
  return out;
}

/** The baseline's files, named like Tessera's for comparison. */
export function baselineSizes(baselineDir: string): EntrySize[] {
  const root = resolve(baselineDir);
  return [
    entryOf('background.js', root, ['background.js']),
    entryOf('content.js', root, ['content.js']),
    entryOf('inpage.js', root, ['inpage.js']),
    pageEntry(root, 'approval.html', 'approval page'),
  ];
}

/** Everything under a folder, for the record (relative paths). */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}
