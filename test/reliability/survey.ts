/**
 * The heavy mode: feeds a boundary N generated inputs without stopping at the first
 * failure, and counts failures by kind (each with its first input and the seed and
 * index that regenerate it). The bench prints these figures; the vitest suites use
 * fc.assert instead, which stops and shrinks.
 */
import fc from 'fast-check';
import type { Boundary } from './harness.ts';
import { credentialBoundary, dcApiBoundary, signedCredentialBoundary } from './parser-properties.ts';
import { signedStatusBoundary, statusListBoundary } from './status-properties.ts';
import { pageBoundary, uiBoundary } from './wallet-properties.ts';

const CHUNK = 250;

export interface FailureKind {
  count: number;
  /** The first failing input, abbreviated. */
  example: string;
  /** fc.sample(input, { seed, numRuns: 250 })[index] regenerates it. */
  seed: number;
  index: number;
}

export interface BoundarySurvey {
  boundary: string;
  messages: number;
  failures: number;
  kinds: Record<string, FailureKind>;
  /** How the inputs were answered (page: RPC code or ok, and whether a window opened; UI: code). */
  outcomes: Record<string, number>;
  ms: number;
  perSecond: number;
}

export async function allBoundaries(): Promise<Boundary<never>[]> {
  const boundaries = [
    await pageBoundary(),
    await uiBoundary(),
    await dcApiBoundary(),
    await credentialBoundary(),
    await signedCredentialBoundary(),
    await statusListBoundary(),
    await signedStatusBoundary(),
  ];
  return boundaries as unknown as Boundary<never>[];
}

export async function surveyBoundary<T>(boundary: Boundary<T>, runs: number, seed: number, log: (line: string) => void = () => {}): Promise<BoundarySurvey> {
  const started = performance.now();
  const kinds: Record<string, FailureKind> = {};
  const outcomes: Record<string, number> = {};
  let failures = 0;
  let done = 0;
  for (let chunk = 0; done < runs; chunk++) {
    const chunkSeed = seed + chunk;
    const inputs = fc.sample(boundary.input, { numRuns: Math.min(CHUNK, runs - done), seed: chunkSeed });
    for (const [index, input] of inputs.entries()) {
      try {
        const outcome = await boundary.check(input);
        if (typeof outcome === 'string') outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      } catch (error) {
        failures++;
        const message = error instanceof Error ? error.message : String(error);
        const kind = message.split(':')[0] ?? message;
        const known = kinds[kind];
        if (known) known.count++;
        else {
          kinds[kind] = { count: 1, example: abbreviate(input), seed: chunkSeed, index };
          log(`  ${boundary.name}: new failure "${kind}" (seed ${chunkSeed}, index ${index}): ${message.slice(0, 300)}`);
        }
      }
    }
    done += inputs.length;
    if (chunk % 40 === 39) log(`  ${boundary.name}: ${done}/${runs}, ${failures} failures`);
  }
  const ms = performance.now() - started;
  return { boundary: boundary.name, messages: done, failures, kinds, outcomes, ms: Math.round(ms), perSecond: Math.round((done / ms) * 1000) };
}

function abbreviate(input: unknown): string {
  const text = JSON.stringify(input, (_k, v: unknown) => (typeof v === 'string' && v.length > 200 ? `${v.slice(0, 200)}…(${v.length} chars)` : v)) ?? String(input);
  return text.length > 1500 ? `${text.slice(0, 1500)}…` : text;
}
