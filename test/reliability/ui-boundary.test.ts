/** Fuzz: UI commands against the UI router on the in-memory wallet (see page-boundary.test.ts for FUZZ_RUNS / FUZZ_SEED). */
import { it } from 'vitest';
import { assertBoundary } from './harness.ts';
import { uiBoundary } from './wallet-properties.ts';

it("every UI command is answered, never with 'internal', and a refusal changes nothing", async () => {
  await assertBoundary(await uiBoundary(), 400);
}, 300_000);
