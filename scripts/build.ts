/**
 * Builds the unpacked extension: `node scripts/build.ts [outDir]` (default dist/).
 * Compiles the anchoring contract (regenerating its ABI and bytecode module if the
 * source changed), runs the six Vite passes, then writes manifest.json beside them.
 */
import { build } from 'vite';
import { copyFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { extensionBuildConfig, type BuildTarget } from '../vite.config.ts';
import { compileContract } from './compile-contract.ts';

const root = resolve(import.meta.dirname, '..');
const outDir = resolve(root, process.argv[2] ?? 'dist');
// `ui` first: it empties the out dir.
const targets: BuildTarget[] = ['ui', 'background', 'chain', 'credentials', 'content', 'inpage'];

const started = performance.now();
const { changed } = await compileContract();
if (changed) console.log('contracts/TesseraAnchor.sol compiled: src/core/anchoring/tessera-anchor-artifact.ts written');
for (const target of targets) await build(extensionBuildConfig(target, outDir));
copyFileSync(resolve(root, 'manifest.json'), resolve(outDir, 'manifest.json'));
console.log(`built ${outDir} in ${Math.round(performance.now() - started)} ms`);
