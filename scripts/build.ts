/**
 * Builds the unpacked extension: `node scripts/build.ts [outDir]` (default dist/).
 * Runs the four Vite passes, then writes manifest.json beside them.
 */
import { build } from 'vite';
import { copyFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { extensionBuildConfig, type BuildTarget } from '../vite.config.ts';

const root = resolve(import.meta.dirname, '..');
const outDir = resolve(root, process.argv[2] ?? 'dist');
const targets: BuildTarget[] = ['ui', 'background', 'content', 'inpage'];

const started = performance.now();
for (const target of targets) await build(extensionBuildConfig(target, outDir));
copyFileSync(resolve(root, 'manifest.json'), resolve(outDir, 'manifest.json'));
console.log(`built ${outDir} in ${Math.round(performance.now() - started)} ms`);
