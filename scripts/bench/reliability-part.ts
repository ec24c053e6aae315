/**
 * `npm run bench -- --only reliability`: the heavy mode of the reliability suite (fuzz,
 * worker kills, floods), run by scripts/bench/reliability.ts. That file is loaded only
 * when asked for, so the rest of the bench runs without it (and without its deps).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

type Log = (line: string) => void;
type RunReliabilityBench = (log: Log) => Promise<Record<string, unknown>>;

export interface ReliabilityPartResult {
  /** What runReliabilityBench returned (counts, rates, memory and storage figures). */
  figures: Record<string, unknown> | null;
  failure: string | null;
  durationMs: number;
}

const MODULE = new URL('./reliability.ts', import.meta.url);

export async function runReliabilityPart(log: Log): Promise<ReliabilityPartResult> {
  const started = performance.now();
  const done = (figures: Record<string, unknown> | null, failure: string | null): ReliabilityPartResult => {
    if (failure) log(`reliability: ${failure}`);
    return { figures, failure, durationMs: Math.round(performance.now() - started) };
  };
  if (!existsSync(fileURLToPath(MODULE))) return done(null, 'scripts/bench/reliability.ts is absent: nothing to run');
  log('reliability: fuzz, worker kills and floods (scripts/bench/reliability.ts)');
  let run: unknown;
  try {
    run = ((await import(MODULE.href)) as { runReliabilityBench?: unknown }).runReliabilityBench;
  } catch (error) {
    return done(null, `scripts/bench/reliability.ts failed to load: ${describe(error)}`);
  }
  if (typeof run !== 'function') return done(null, 'scripts/bench/reliability.ts exports no runReliabilityBench function');
  try {
    const figures = await (run as RunReliabilityBench)(log);
    return done(figures, null);
  } catch (error) {
    return done(null, `runReliabilityBench failed: ${describe(error)}`);
  }
}

/** The figures as `key: value` lines for the console (the JSON report holds them whole). */
export function formatFigures(figures: Record<string, unknown>, indent = '  '): string[] {
  return Object.entries(figures).flatMap(([key, value]) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return [`${indent}${key}:`, ...formatFigures(value as Record<string, unknown>, `${indent}  `)];
    }
    const text = JSON.stringify(value) ?? String(value);
    return [`${indent}${key}: ${text.length > 160 ? `${text.slice(0, 157)}...` : text}`];
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
