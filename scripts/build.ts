/**
 * Builds the unpacked extension: `tsx scripts/build.ts [outDir] [--target chrome|firefox]`
 * (default: Chrome into dist/; Firefox into dist-firefox/). Compiles the anchoring
 * contract (regenerating its ABI and bytecode module if the source changed), runs the
 * six Vite passes, then writes manifest.json beside them: manifest.json as it is for
 * Chrome, its Firefox variant (scripts/lib/firefox-manifest.ts) for Firefox. The
 * bundles are the same for both.
 */
import { build } from 'vite';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { extensionBuildConfig, type BuildTarget } from '../vite.config.ts';
import { compileContract } from './compile-contract.ts';
import { parseBuildArgs } from './lib/build-args.ts';
import { firefoxManifest, type ChromeManifest } from './lib/firefox-manifest.ts';

const root = resolve(import.meta.dirname, '..');
const args = parseBuildArgs(process.argv.slice(2));
const outDir = resolve(root, args.outDir ?? (args.browser === 'firefox' ? 'dist-firefox' : 'dist'));
// `ui` first: it empties the out dir.
const targets: BuildTarget[] = ['ui', 'background', 'chain', 'credentials', 'content', 'inpage'];

const started = performance.now();
const { changed } = await compileContract();
if (changed) console.log('contracts/TesseraAnchor.sol compiled: src/core/anchoring/tessera-anchor-artifact.ts written');
for (const target of targets) await build(extensionBuildConfig(target, outDir));
const manifestText = readFileSync(resolve(root, 'manifest.json'), 'utf8');
writeFileSync(
  resolve(outDir, 'manifest.json'),
  args.browser === 'firefox' ? `${JSON.stringify(firefoxManifest(JSON.parse(manifestText) as ChromeManifest), null, 2)}\n` : manifestText,
);
console.log(`built ${outDir} (${args.browser}) in ${Math.round(performance.now() - started)} ms`);
