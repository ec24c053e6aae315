/**
 * Fuzz: messages from web pages (envelope and every method's params) against the page
 * router on the in-memory wallet. Runs: FUZZ_RUNS (default below); a failure prints its
 * seed and counterexample, replay with FUZZ_SEED=<seed> FUZZ_PATH=<path>.
 */
import { it } from 'vitest';
import { assertBoundary } from './harness.ts';
import { pageBoundary } from './wallet-properties.ts';

it('every page message is answered, never with -32603, and an error answer changes nothing', async () => {
  await assertBoundary(await pageBoundary(), 400);
}, 300_000);
