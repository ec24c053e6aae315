/**
 * The reliability suite's heavy mode (`npm run bench -- --only reliability`): the
 * fuzzers of test/reliability/ at 100,000 generated inputs per boundary (page
 * messages, UI commands, DC API data, credentials, signed credentials edited, status
 * lists, signed status lists edited), on the in-memory wallet. Unlike the vitest
 * suites it does not stop at the first failure: it counts failures by kind and keeps
 * the first input of each with the seed that regenerates it.
 *
 * RELIABILITY_RUNS overrides the count per boundary; FUZZ_SEED fixes the seed. The
 * worker-kill and flood figures come from the browser journeys
 * (test/e2e/reliability-kills.e2e.ts, reliability-flood.e2e.ts), which print them.
 */
import { allBoundaries, surveyBoundary, type BoundarySurvey } from '../../test/reliability/survey.ts';

export const RELIABILITY_RUNS_PER_BOUNDARY = 100_000;

/** What each failure kind counts as in the terms. */
function category(kind: string): 'internalErrors' | 'stateChanges' | 'hangs' | 'crashes' | 'other' {
  if (kind.startsWith('internal error') || kind.includes('got an internal error')) return 'internalErrors';
  if (kind.includes('changed state') || kind.includes('sent events') || kind.includes('auto-lock')) return 'stateChanges';
  if (kind.includes('did not settle')) return 'hangs';
  if (kind.includes(' threw ') || kind.includes('unhandled rejection') || kind.includes('is not {')) return 'crashes';
  return 'other';
}

export async function runReliabilityBench(log: (line: string) => void): Promise<Record<string, unknown>> {
  const fromEnv = Number(process.env.RELIABILITY_RUNS);
  const runs = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : RELIABILITY_RUNS_PER_BOUNDARY;
  const seedFromEnv = Number(process.env.FUZZ_SEED);
  const seed = Number.isInteger(seedFromEnv) ? seedFromEnv : Date.now() % 2 ** 31;
  log(`reliability: fuzzing ${runs} inputs per boundary, seed ${seed}`);

  // The routers log every internal error with its stack; at 100,000 inputs that would
  // drown the report. Count them instead (the failures below name each kind).
  const consoleError = console.error;
  let routerLogs = 0;
  console.error = () => {
    routerLogs++;
  };
  const surveys: BoundarySurvey[] = [];
  try {
    for (const boundary of await allBoundaries()) {
      log(`reliability: ${boundary.name}…`);
      const survey = await surveyBoundary(boundary, runs, seed, log);
      surveys.push(survey);
      log(`reliability: ${boundary.name}: ${survey.messages} inputs, ${survey.failures} failures, ${survey.perSecond}/s`);
    }
  } finally {
    console.error = consoleError;
  }

  const totals = { messages: 0, failures: 0, crashes: 0, internalErrors: 0, stateChanges: 0, hangs: 0, other: 0 };
  for (const survey of surveys) {
    totals.messages += survey.messages;
    totals.failures += survey.failures;
    for (const [kind, found] of Object.entries(survey.kinds)) totals[category(kind)] += found.count;
  }
  log(
    `reliability: ${totals.messages} inputs, ${totals.crashes} crashes, ${totals.internalErrors} internal errors, ` +
      `${totals.stateChanges} state changes, ${totals.hangs} hangs, ${totals.other} other failures`,
  );
  return { seed, runsPerBoundary: runs, totals, routerErrorLogs: routerLogs, boundaries: Object.fromEntries(surveys.map((s) => [s.boundary, s])) };
}
