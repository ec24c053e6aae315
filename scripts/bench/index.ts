/**
 * `npm run bench`: Tessera against a bare baseline extension, in one Chromium.
 *
 * The baseline (scripts/bench/baseline/) opens a window on a request and answers on
 * the decision — the least any wallet does. Both are loaded side by side and measured
 * in alternating iterations, so they share the machine's noise:
 *   a) request → approval window visible      (goal ≤ 1.3× baseline)
 *   b) full approve round trip
 *   c) service-worker cold start → first answered request (goal ≤ 1.6× baseline), and warm
 *   d) unlock with the chosen KDF (against one bare PBKDF2 in the same page)
 *   e) gzip sizes of each entry bundle (goal: the worker's start bundle background.js ≤ 150 kB
 *      gzip; chain.js, the chain client it loads when anchoring first needs it, on its own row)
 * Then, in Node, the credentials part (credentials.ts): f) verification vs did-jwt-vc,
 * g) save/list at 1,000 and 10,000 vs @veramo/data-store-json, h) DCQL matching, and
 * the encrypted backup's export and restore vs PBKDF2 + AES-GCM of JSON (backup.ts).
 * The reliability suite's heavy mode (reliability-part.ts) runs only when asked for.
 * The anchoring part (anchoring.ts) measures on a development chain: gas per anchored
 * entry and per revocation, the receipt proof's size, and revoke → mined in Chromium.
 * The research part (research.ts): request → consent window for the research portal's
 * request with the accreditation checks, against the same request without `requester`.
 * Prints a table and writes artifacts/bench/bench-<time>.json and latest.json.
 *
 * Tessera is built into bench-dist/tessera, never dist/. A step that fails or comes out
 * stretched (a lost click) is measured again (retry.ts); the report is written even when
 * a part fails for good, with what was measured and the failure.
 *
 * A report, not a test: exits 0 when a goal is missed, non-zero when a measurement
 * itself fails. Options: --iterations N (default 20, ≥ 20 for a real report),
 * --warmup N (default 2), --unlock-runs N (default 5), --skip-build (use a copy of dist/),
 * --extension DIR (measure a copy of that built extension),
 * --only credentials (= --skip-browser: no build, no browser, ~2 min),
 * --only browser (= --skip-credentials), --only reliability, --with-reliability,
 * --only anchoring (builds; a hardhat node and Chromium; ~3 min), --skip-anchoring,
 * --only research (builds; the demo research sites and Chromium; ~1 min), --skip-research.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, arch, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import {
  CHROMIUM_PATH,
  launchWithExtension,
  onboard,
  openExtensionPage,
  type ExtensionBrowser,
} from '../lib/extension-browser.ts';
import {
  MeasurementError,
  STOPPED_SETTLE_MS,
  WorkerControl,
  approvalRoundTrip,
  bareKdf,
  lockUnlock,
  revokeIdentityGrant,
  silentRequest,
  sleep,
  watchNewPages,
  type ApprovalSample,
  type BenchContext,
  type SilentSample,
  type UnlockSample,
} from './measure.ts';
import type { WalletName } from './page-functions.ts';
import { runCredentialsBench, type CredentialsBenchResult } from './credentials.ts';
import { runBackupBench, type BackupBenchResult } from './backup.ts';
import { formatFigures, runReliabilityPart } from './reliability-part.ts';
import { ATTEMPTS, resetApproval, withRetries, type RetryCount } from './retry.ts';
import { formatTable, makeRow, type Row } from './report.ts';
import { summarize, type Summary } from './stats.ts';
import { startBenchServer, type BenchServer } from './server.ts';
import { baselineSizes, tesseraSizes, type EntrySize } from './sizes.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST = join(ROOT, 'dist');
const BENCH_DIST = join(ROOT, 'bench-dist');
const BASELINE_SRC = join(ROOT, 'scripts/bench/baseline');
const ARTIFACTS = join(ROOT, 'artifacts/bench');

const PASSWORD = 'bench-password-4-tessera';
const KDF = { name: 'PBKDF2-SHA-256', iterations: 600_000 } as const;
/** The worker's start bundle (issue 8: ≤ 150 KB gzip, chain code loaded when first needed). */
const BACKGROUND_GZIP_GOAL_BYTES = 150_000;
const APPROVAL_WINDOW_MAX_RATIO = 1.3;
const COLD_START_MAX_RATIO = 1.6;
const WATCHDOG_MS = 20 * 60_000;
/** Measured rounds of the anchoring part's revoke timing (after one warm-up round). */
const ANCHORING_TIMING_ROUNDS = 7;

interface Options {
  iterations: number;
  warmup: number;
  unlockRuns: number;
  build: boolean;
  /** A built extension to measure instead of building (--extension DIR; implies no build). */
  extension: string | null;
  browser: boolean;
  credentials: boolean;
  reliability: boolean;
  /** The activity ledger part (ledger.ts): appends, verification, proofs at 10,000 and 100,000. */
  ledger: boolean;
  /** The chain-anchoring part (anchoring.ts): gas, proof size, revoke → mined on a development chain. */
  anchoring: boolean;
  /** The research part (research.ts): request → consent window with the accreditation checks vs without requester. */
  research: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    iterations: 20,
    warmup: 2,
    unlockRuns: 5,
    build: true,
    extension: null,
    browser: true,
    credentials: true,
    reliability: false,
    ledger: true,
    anchoring: true,
    research: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    const value = () => {
      const raw = inline ?? argv[++i];
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a whole number, got ${String(raw)}`);
      return n;
    };
    if (flag === '--iterations') options.iterations = Math.max(1, value());
    else if (flag === '--warmup') options.warmup = value();
    else if (flag === '--unlock-runs') options.unlockRuns = Math.max(1, value());
    else if (flag === '--skip-build') options.build = false;
    else if (flag === '--extension') {
      const dir = inline ?? argv[++i];
      if (!dir) throw new Error('--extension needs a folder with a built extension');
      options.extension = resolve(dir);
      options.build = false;
    }
    else if (flag === '--skip-browser') options.browser = false;
    else if (flag === '--skip-credentials') options.credentials = false;
    else if (flag === '--with-reliability') options.reliability = true;
    else if (flag === '--skip-ledger') options.ledger = false;
    else if (flag === '--skip-anchoring') options.anchoring = false;
    else if (flag === '--skip-research') options.research = false;
    else if (flag === '--only') {
      const part = inline ?? argv[++i];
      if (part !== 'credentials' && part !== 'browser' && part !== 'reliability' && part !== 'ledger' && part !== 'anchoring' && part !== 'research') {
        throw new Error(`--only needs credentials, browser, reliability, ledger, anchoring or research, got ${String(part)}`);
      }
      options.browser = part === 'browser';
      options.credentials = part === 'credentials';
      options.reliability = part === 'reliability';
      options.ledger = part === 'ledger';
      options.anchoring = part === 'anchoring';
      options.research = part === 'research';
    } else {
      throw new Error(
        `unknown option ${arg} (known: --iterations N, --warmup N, --unlock-runs N, --skip-build, --extension DIR, --only credentials|browser|reliability|ledger|anchoring|research, --skip-browser, --skip-credentials, --skip-ledger, --skip-anchoring, --skip-research, --with-reliability)`,
      );
    }
  }
  if (!options.browser && !options.credentials && !options.reliability && !options.ledger && !options.anchoring && !options.research) throw new Error('nothing to measure: every part skipped');
  // The anchoring and research parts drive the built extension too.
  if (!options.browser && !options.anchoring && !options.research) options.build = false;
  return options;
}

const log = (message: string) => process.stdout.write(`${message}\n`);

/** ABBA order: even rounds Tessera first, odd rounds baseline first. */
const orderOf = (round: number): WalletName[] => (round % 2 === 0 ? ['tessera', 'baseline'] : ['baseline', 'tessera']);

/**
 * Builds Tessera straight into bench-dist/tessera (never dist/, which tests and other
 * builds use), and copies the baseline beside it. With --skip-build, a snapshot of
 * dist/ is taken instead, so a rebuild of dist/ during the run cannot change the files
 * under the browser's feet.
 */
function stageExtensions(options: Options): { tesseraDir: string; baselineDir: string; buildMs: number | null } {
  const tesseraDir = join(BENCH_DIST, 'tessera');
  const baselineDir = join(BENCH_DIST, 'baseline');
  rmSync(BENCH_DIST, { recursive: true, force: true });
  mkdirSync(BENCH_DIST, { recursive: true });
  let buildMs: number | null = null;
  if (options.build) {
    log(`build: scripts/build.ts ${relative(ROOT, tesseraDir)}`);
    const started = performance.now();
    const result = spawnSync('npx', ['tsx', 'scripts/build.ts', tesseraDir], { cwd: ROOT, stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`the build failed (exit ${result.status ?? result.signal})`);
    buildMs = performance.now() - started;
  } else {
    const from = options.extension ?? DIST;
    if (!existsSync(join(from, 'manifest.json'))) throw new Error(`no build to measure: ${from} holds no manifest.json`);
    log(`build: skipped, using a copy of ${relative(ROOT, from) || from} as it is`);
    cpSync(from, tesseraDir, { recursive: true });
  }
  cpSync(BASELINE_SRC, baselineDir, { recursive: true });
  return { tesseraDir, baselineDir, buildMs };
}

/** The extension the parts after the browser part drive when it did not run: staged once for them all. */
let staged: string | null = null;
const stagedForParts = (options: Options): string => (staged ??= stageExtensions(options).tesseraDir);

function gitInfo(): { commit: string | null; dirty: boolean | null } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return { commit, dirty };
  } catch {
    return { commit: null, dirty: null };
  }
}

function packageVersion(name: string): string | null {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return null;
  }
}

async function chromiumVersion(browser: ExtensionBrowser, page: Page): Promise<{ product: string; userAgent: string }> {
  const cdp = await browser.context.newCDPSession(page);
  try {
    const v = await cdp.send('Browser.getVersion');
    return { product: v.product, userAgent: v.userAgent };
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

async function openSite(browser: ExtensionBrowser, url: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(url);
  await page.waitForFunction('typeof window.tessera === "object" && typeof window.baselineWallet === "object"', undefined, {
    timeout: 10_000,
  });
  return page;
}

function progress(label: string, done: number, total: number): void {
  if (!process.stdout.isTTY) {
    if (done === total) log(`  ${label}: ${done}/${total}`);
    return;
  }
  process.stdout.write(`\r  ${label}: ${done}/${total}${done === total ? '\n' : ''}`);
}

interface Phases {
  approval: { warmup: ApprovalSample[]; samples: ApprovalSample[]; retried: number };
  silent: { warmup: SilentSample[]; samples: SilentSample[]; retried: number };
  unlock: { warmup: { unlock: UnlockSample; kdfMs: number } | null; samples: UnlockSample[]; kdfMs: number[] };
}

/** (a) + (b), alternating, with Tessera's grant given up after each of its iterations. */
async function approvalPhase(ctx: BenchContext, options: Options): Promise<Phases['approval']> {
  const warmup: ApprovalSample[] = [];
  const samples: ApprovalSample[] = [];
  const rounds = options.warmup + options.iterations;
  log(`(a)+(b) approval window and approve round trip: ${options.warmup} warm-up + ${options.iterations} rounds`);
  const count: RetryCount = { retried: 0 };
  for (let round = 0; round < rounds; round++) {
    for (const wallet of orderOf(round)) {
      const sample = await withRetries(ctx, `${wallet} approval round ${round + 1}`, () => approvalRoundTrip(ctx, wallet), {
        usable: (s) => (s.clicks > 1 ? `approve took ${s.clicks} clicks` : null),
        reset: () => resetApproval(ctx, wallet),
        count,
      });
      if (wallet === 'tessera') await revokeIdentityGrant(ctx.site);
      (round < options.warmup ? warmup : samples).push(sample);
    }
    progress('rounds', round + 1, rounds);
  }
  return { warmup, samples, retried: count.retried };
}

/** (c) cold and warm requests that answer without a window. */
async function silentPhase(ctx: BenchContext, browser: ExtensionBrowser, options: Options): Promise<Phases['silent']> {
  log(`(c) cold start → first answered request, and warm: ${options.warmup} warm-up + ${options.iterations} rounds`);
  // Tessera answers silently only while the site is connected: approve once, keep the grant.
  await approvalRoundTrip(ctx, 'tessera');
  // No extension page may stay open (it would keep a worker's process alive or wake it).
  for (const p of browser.context.pages()) {
    if (p !== ctx.site && p.url().startsWith('chrome-extension://')) await p.close();
  }
  const workers = await WorkerControl.attach(browser.context, ctx.site, [ctx.ids.tessera, ctx.ids.baseline]);
  const opened = watchNewPages(browser.context);
  const warmup: SilentSample[] = [];
  const samples: SilentSample[] = [];
  const rounds = options.warmup + options.iterations;
  const count: RetryCount = { retried: 0 };
  const measured = (wallet: WalletName, state: 'cold' | 'warm', round: number) =>
    withRetries(ctx, `${wallet} ${state} request, round ${round + 1}`, () => silentRequest(ctx, workers, wallet, state), {
      reset: () => sleep(1_000),
      count,
    });
  try {
    for (let round = 0; round < rounds; round++) {
      for (const wallet of orderOf(round)) {
        const into = round < options.warmup ? warmup : samples;
        into.push(await measured(wallet, 'cold', round));
        into.push(await measured(wallet, 'warm', round));
      }
      progress('rounds', round + 1, rounds);
    }
  } finally {
    opened.stop();
    await workers.detach();
  }
  if (opened.urls.length > 0) {
    throw new MeasurementError(`windows opened during requests that must answer silently: ${opened.urls.join(', ')}`);
  }
  return { warmup, samples, retried: count.retried };
}

/** (d) unlock (lock first) from Tessera's popup page, alternating with a bare PBKDF2 there. */
async function unlockPhase(ctx: BenchContext, options: Options): Promise<Phases['unlock']> {
  log(`(d) unlock with ${KDF.name} ×${KDF.iterations}: 1 warm-up + ${options.unlockRuns} runs`);
  const popup = await openExtensionPage(ctx.context, ctx.ids.tessera, 'popup/index.html');
  try {
    const samples: UnlockSample[] = [];
    const kdfMs: number[] = [];
    const warm = { unlock: await lockUnlock(popup, PASSWORD), kdfMs: await bareKdf(popup, PASSWORD, KDF.iterations) };
    for (let i = 0; i < options.unlockRuns; i++) {
      if (i % 2 === 0) {
        samples.push(await lockUnlock(popup, PASSWORD));
        kdfMs.push(await bareKdf(popup, PASSWORD, KDF.iterations));
      } else {
        kdfMs.push(await bareKdf(popup, PASSWORD, KDF.iterations));
        samples.push(await lockUnlock(popup, PASSWORD));
      }
      progress('runs', i + 1, options.unlockRuns);
    }
    return { warmup: warm, samples, kdfMs };
  } finally {
    await popup.close().catch(() => undefined);
  }
}

function sizeRows(tessera: EntrySize[], baseline: EntrySize[]): Row[] {
  const base = new Map(baseline.map((e) => [e.entry, e]));
  return tessera.map((e) => {
    const b = base.get(e.entry);
    return makeRow({
      id: `gzip:${e.entry}`,
      metric: `gzip ${e.entry}`,
      unit: 'B',
      tessera: [e.gzipBytes],
      baseline: b ? [b.gzipBytes] : null,
      ...(e.entry === 'background.js'
        ? { maxValue: BACKGROUND_GZIP_GOAL_BYTES, goalText: '≤ 150 kB gzip' }
        : {}),
    });
  });
}

/** Node clock from the call until DevTools reported the cold worker `running` (its script evaluated). */
function coldWorkerRunning(silent: Phases['silent'], wallet: WalletName): number[] {
  return silent.samples
    .filter((s) => s.wallet === wallet && s.state === 'cold' && s.workerRunningMs !== null)
    .map((s) => s.workerRunningMs as number);
}

/** Secondary numbers for the JSON: the other clocks and the parts of each span (of the phases that ran). */
function breakdown(phases: Partial<Phases>) {
  const per = <T extends { wallet: WalletName }>(samples: T[], pick: (s: T) => number | null) => {
    const out: Partial<Record<WalletName, Summary>> = {};
    for (const w of ['tessera', 'baseline'] as const) {
      const values = samples.filter((s) => s.wallet === w).map(pick).filter((v): v is number => v !== null);
      if (values.length) out[w] = summarize(values);
    }
    return out;
  };
  const a = phases.approval?.samples ?? [];
  const cold = phases.silent?.samples.filter((s) => s.state === 'cold') ?? [];
  const warm = phases.silent?.samples.filter((s) => s.state === 'warm') ?? [];
  const lockMs = phases.unlock?.samples.map((s) => s.lockMs) ?? [];
  return {
    windowVisibleCrossClockMs: per(a, (s) => s.windowVisibleCrossClockMs),
    roundTripNodeMs: per(a, (s) => s.roundTripNodeMs),
    visibleToClickDoneMs: per(a, (s) => s.clickMs),
    resolvedToWindowClosedMs: per(a, (s) => s.windowClosedAfterMs),
    coldNodeMs: per(cold, (s) => s.nodeMs),
    coldWorkerStartingMs: per(cold, (s) => s.workerStartingMs),
    coldWorkerRunningMs: per(cold, (s) => s.workerRunningMs),
    coldAfterRunningMs: per(cold, (s) => (s.workerRunningMs === null ? null : s.nodeMs - s.workerRunningMs)),
    warmNodeMs: per(warm, (s) => s.nodeMs),
    lockMs: lockMs.length ? summarize(lockMs) : null,
    retried: { approval: phases.approval?.retried ?? null, silent: phases.silent?.retried ?? null },
  };
}

/** The rows of the phases that ran (a phase that failed part-way is left out, see the notes). */
function timingRows(phases: Partial<Phases>): Row[] {
  const rows: Row[] = [];
  const { approval, silent, unlock } = phases;
  if (approval) {
    const of = (w: WalletName) => approval.samples.filter((s) => s.wallet === w);
    rows.push(
      makeRow({
        id: 'approval-window-visible',
        metric: '(a) request → approval window visible',
        unit: 'ms',
        tessera: of('tessera').map((s) => s.windowVisibleMs),
        baseline: of('baseline').map((s) => s.windowVisibleMs),
        maxRatio: APPROVAL_WINDOW_MAX_RATIO,
      }),
      makeRow({
        id: 'approve-round-trip',
        metric: '(b) full approve round trip',
        unit: 'ms',
        tessera: of('tessera').map((s) => s.roundTripMs),
        baseline: of('baseline').map((s) => s.roundTripMs),
      }),
    );
  }
  if (silent) {
    const ms = (w: WalletName, state: 'cold' | 'warm') =>
      silent.samples.filter((s) => s.wallet === w && s.state === state).map((s) => s.ms);
    rows.push(
      makeRow({
        id: 'cold-start-request',
        metric: '(c) cold start → first answered request',
        unit: 'ms',
        tessera: ms('tessera', 'cold'),
        baseline: ms('baseline', 'cold'),
        maxRatio: COLD_START_MAX_RATIO,
      }),
      makeRow({
        id: 'cold-worker-running',
        metric: '(c) of which: worker running (DevTools)',
        unit: 'ms',
        tessera: coldWorkerRunning(silent, 'tessera'),
        baseline: coldWorkerRunning(silent, 'baseline'),
      }),
      makeRow({
        id: 'warm-request',
        metric: '(c) same request, worker warm',
        unit: 'ms',
        tessera: ms('tessera', 'warm'),
        baseline: ms('baseline', 'warm'),
      }),
    );
  }
  if (unlock) {
    rows.push(
      makeRow({
        id: 'unlock',
        metric: `(d) unlock (${KDF.name} ×${KDF.iterations / 1000}k) vs bare KDF`,
        unit: 'ms',
        tessera: unlock.samples.map((s) => s.unlockMs),
        baseline: unlock.kdfMs,
      }),
    );
  }
  return rows;
}

/** (a)–(e): build, stage both extensions, measure in one Chromium. */
async function browserPart(options: Options, notes: string[]) {
  if (options.iterations < 20) log(`note: --iterations ${options.iterations} is below the 20 a real report needs`);
  const { tesseraDir, baselineDir, buildMs } = stageExtensions(options);
  const sizes = { tessera: tesseraSizes(tesseraDir), baseline: baselineSizes(baselineDir) };

  let server: BenchServer | undefined;
  let browser: ExtensionBrowser | undefined;
  const onSignal = () => {
    void (async () => {
      await browser?.close();
      await server?.close();
      process.exit(130);
    })();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  // Whatever was measured before a failure still goes into the report.
  const phases: Partial<Phases> = {};
  let chromium: { product: string; userAgent: string } | null = null;
  let ids: Record<WalletName, string> | null = null;
  let failure: string | null = null;
  try {
    server = await startBenchServer();
    log(`browser: ${CHROMIUM_PATH}, headless, Tessera + baseline loaded`);
    browser = await launchWithExtension({ extensionDirs: [tesseraDir, baselineDir] });
    const [tesseraId, baselineId] = browser.extensionIds as [string, string];
    ids = { tessera: tesseraId, baseline: baselineId };
    log('onboarding Tessera');
    await onboard(browser.context, tesseraId, PASSWORD);
    const site = await openSite(browser, server.url);
    chromium = await chromiumVersion(browser, site);
    const ctx: BenchContext = { context: browser.context, site, ids, notes };

    phases.approval = await approvalPhase(ctx, options);
    phases.silent = await silentPhase(ctx, browser, options);
    phases.unlock = await unlockPhase(ctx, options);
  } catch (error) {
    failure = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`\nbrowser part failed after ${ATTEMPTS} attempts of a step: ${failure}`);
    notes.push(`browser part failed (${Object.keys(phases).join(', ') || 'no'} phases complete): ${failure.split('\n')[0]}`);
  } finally {
    await browser?.close();
    await server?.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return { buildMs, tesseraDir, baselineDir, sizes, phases, chromium, ids, failure };
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date();
  const t0 = performance.now();
  const loadBefore = loadavg();
  const notes: string[] = [];

  const b = options.browser ? await browserPart(options, notes) : null;
  let credentials: CredentialsBenchResult | null = null;
  if (options.credentials) {
    credentials = await runCredentialsBench(undefined, log);
    notes.push(...credentials.notes);
  }
  const backup: BackupBenchResult | null = options.credentials ? await runBackupBench(log) : null;
  const reliability = options.reliability ? await runReliabilityPart(log) : null;
  const ledger = options.ledger ? await runLedgerPart(log, notes) : null;
  const anchoring = options.anchoring ? await runAnchoringPart(options, b?.tesseraDir ?? null, notes) : null;
  const research = options.research ? await runResearchPart(options, b?.tesseraDir ?? null, notes) : null;
  if (reliability?.failure) notes.push(`reliability: ${reliability.failure.split('\n')[0]}`);

  for (const stray of strayRejections) notes.push(`a promise left behind rejected: ${stray}`);
  const rows = [
    ...(b ? [...timingRows(b.phases), ...sizeRows(b.sizes.tessera, b.sizes.baseline)] : []),
    ...(credentials?.rows ?? []),
    ...(backup?.rows ?? []),
    ...(research?.rows ?? []),
  ];
  const totalMs = performance.now() - t0;
  const cpuList = cpus();
  const report = {
    kind: 'tessera-bench',
    version: 1,
    date: startedAt.toISOString(),
    durationMs: Math.round(totalMs),
    buildMs: b?.buildMs == null ? null : Math.round(b.buildMs),
    parts: { browser: options.browser, credentials: options.credentials, reliability: options.reliability, ledger: options.ledger, anchoring: options.anchoring, research: options.research },
    options,
    git: gitInfo(),
    machine: {
      cpus: cpuList.length,
      cpuModel: cpuList[0]?.model ?? null,
      totalMemBytes: totalmem(),
      loadavgBefore: loadBefore,
      loadavgAfter: loadavg(),
      platform: platform(),
      release: release(),
      arch: arch(),
      node: process.version,
      chromium: b?.chromium?.product ?? null,
      chromiumPath: b ? CHROMIUM_PATH : null,
      userAgent: b?.chromium?.userAgent ?? null,
      playwrightCore: packageVersion('playwright-core'),
    },
    extensions: b?.ids && {
      tessera: { id: b.ids.tessera, dir: relative(ROOT, b.tesseraDir), builtFrom: options.build ? 'scripts/build.ts into bench-dist/tessera' : `a copy of ${options.extension ?? 'dist/'}` },
      baseline: { id: b.ids.baseline, dir: relative(ROOT, b.baselineDir), source: 'scripts/bench/baseline/' },
    },
    method: {
      order: 'ABBA: even rounds Tessera first, odd rounds baseline first; warm-ups discarded',
      approvalWindowVisible:
        'Node clock, from right before page.evaluate starts the provider call to the approval page reporting [data-testid=approve] visible (MutationObserver + rAF in that page)',
      approveRoundTrip: 'page clock (performance.now) around the provider call; includes a Playwright click (force) on approve',
      coldStart: `worker stopped with DevTools ServiceWorker.stopWorker, runningStatus 'stopped' confirmed, ${STOPPED_SETTLE_MS} ms settle, still stopped right before; page clock around the provider call (Tessera: wallet_requestIdentity with an active grant; baseline: ping)`,
      warm: 'the same request again right after the cold one (worker running)',
      unlock: `UI channel from popup/index.html: lock, then time unlock (page clock); baseline = importKey + deriveBits PBKDF2-SHA-256 ×${KDF.iterations} in the same page`,
      sizes: 'gzip level 9 of each file on its own, summed per entry; UI pages follow <script src>/<link rel=stylesheet> and static imports',
      tesseraGrant: 'after each Tessera approval iteration the page revokes its identity grant (wallet_getGrants + wallet_revokeGrant, untimed)',
      ...(credentials ? { credentials: credentials.method } : {}),
    },
    goals: {
      approvalWindowMaxRatio: APPROVAL_WINDOW_MAX_RATIO,
      coldStartMaxRatio: COLD_START_MAX_RATIO,
      backgroundGzipMaxBytes: BACKGROUND_GZIP_GOAL_BYTES,
      ...(credentials ? { credentials: credentials.goals } : {}),
    },
    kdf: KDF,
    results: rows,
    breakdown: b && breakdown(b.phases),
    failures: { browser: b?.failure ?? null, reliability: reliability?.failure ?? null, anchoring: anchoring?.failure ?? null, research: research?.failure ?? null },
    reliability: reliability && { durationMs: reliability.durationMs, figures: reliability.figures },
    ledger,
    anchoring: anchoring && { durationMs: anchoring.durationMs, rows: anchoring.rows, chain: anchoring.chain, gas: anchoring.gas, proofs: anchoring.proofs, timing: anchoring.timing, method: anchoring.method },
    research: research && { durationMs: research.durationMs, summary: research.summary, retried: research.retried, method: research.method, samples: research.samples, warmup: research.warmup },
    raw: {
      ...(b ? { approval: b.phases.approval ?? null, silent: b.phases.silent ?? null, unlock: b.phases.unlock ?? null, sizes: b.sizes } : {}),
      ...(credentials ? { credentials: { durationMs: credentials.durationMs, ...credentials.raw } } : {}),
    },
    notes,
  };

  mkdirSync(ARTIFACTS, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const file = join(ARTIFACTS, `bench-${stamp}.json`);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(file, json);
  writeFileSync(join(ARTIFACTS, 'latest.json'), json);

  log('');
  if (rows.length > 0) log(formatTable(rows));
  if (reliability?.figures) log(['reliability figures:', ...formatFigures(reliability.figures)].join('\n'));
  if (ledger) log(['ledger figures:', ...formatFigures(ledger)].join('\n'));
  if (anchoring && anchoring.rows.length > 0) log(['chain anchoring:', anchoring.table].join('\n'));
  log('');
  log(`machine: ${cpuList.length} × ${cpuList[0]?.model ?? '?'}, node ${process.version}${b?.chromium ? `, ${b.chromium.product}` : ''}`);
  if (credentials) log(`credentials part (Node): ${(credentials.durationMs / 1000).toFixed(0)} s`);
  for (const note of new Set(notes)) log(`note: ${note}`);
  const goalRows = [...rows, ...(anchoring?.rows ?? [])];
  const missed = goalRows.filter((r) => r.met === false).map((r) => r.metric);
  if (goalRows.some((r) => r.met !== null)) log(missed.length ? `goals missed: ${missed.join('; ')}` : 'all goals met');
  log(`report: ${relative(process.cwd(), file)} (and artifacts/bench/latest.json), ${(totalMs / 1000).toFixed(0)} s`);
  // A measurement that failed is an error, but only after its report is written.
  return b?.failure || reliability?.failure || anchoring?.failure || research?.failure ? 1 : 0;
}

const watchdog = setTimeout(() => {
  process.stderr.write(`bench: still running after ${WATCHDOG_MS / 60_000} minutes; giving up\n`);
  process.exit(2);
}, WATCHDOG_MS);
watchdog.unref();

// A stray rejection (a page promise left behind by a failed step) is noted, and must not
// end the run before the report is written.
const strayRejections: string[] = [];
process.on('unhandledRejection', (reason: unknown) => {
  strayRejections.push(reason instanceof Error ? reason.message.split('\n')[0] ?? reason.name : String(reason));
});

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`\nbench: failed before a report could be written:\n${message}\n`);
    process.exitCode = 1;
  },
);

/** The ledger part (scripts/bench/ledger.ts) and grants by origin (grants.ts); figures kept whole in the report. */
async function runLedgerPart(log: (line: string) => void, notes: string[]): Promise<Record<string, unknown> | null> {
  try {
    const [{ runLedgerBench }, { runGrantsBench }] = await Promise.all([import('./ledger.ts'), import('./grants.ts')]);
    return { ...(await runLedgerBench(log)), grantsByOrigin: await runGrantsBench(log) };
  } catch (error) {
    notes.push(`ledger: ${error instanceof Error ? error.message : 'failed'}`);
    return null;
  }
}

/** The anchoring part (scripts/bench/anchoring.ts), timing the extension the browser part built, or staging one. */
async function runAnchoringPart(options: Options, builtDir: string | null, notes: string[]) {
  const { runAnchoringBench } = await import('./anchoring.ts');
  let extensionDir = builtDir;
  if (!extensionDir) {
    try {
      extensionDir = stagedForParts(options);
    } catch (error) {
      // The gas and proof figures need no extension; only the revoke timing is lost.
      notes.push(`anchoring: no extension to time (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  const result = await runAnchoringBench({ extensionDir, timingRounds: ANCHORING_TIMING_ROUNDS }, log);
  notes.push(...result.notes);
  return result;
}

/** The research part (scripts/bench/research.ts), in Chromium with the browser part's build, or one staged for it. */
async function runResearchPart(options: Options, builtDir: string | null, notes: string[]) {
  const { runResearchBench } = await import('./research.ts');
  let extensionDir: string;
  try {
    extensionDir = builtDir ?? stagedForParts(options);
  } catch (error) {
    const failure = `no extension to measure: ${error instanceof Error ? error.message : String(error)}`;
    notes.push(`research: ${failure}`);
    return { rows: [], failure, durationMs: 0, summary: {}, retried: 0, method: {}, samples: [], warmup: [] };
  }
  log(`research: request → consent window, with the accreditation checks and without requester (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  const result = await runResearchBench({ extensionDir, warmup: options.warmup, iterations: options.iterations }, log);
  notes.push(...result.notes);
  return result;
}
