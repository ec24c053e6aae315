/**
 * Reliability: floods. 1,000 identity requests at once from one page, then one request
 * from each of 50 origins at once. At most one approval window is open at any moment
 * (across all origins); the rest are refused with -32002 (same origin and kind) or wait
 * their turn; every request settles. The worker's JS heap and storage.session are
 * measured before, at the peak and after, and must stay within generous bounds.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getServiceWorker, isApprovalUrl, newNonce, readCalls, rejectIn, startCalls, waitCalls, type CallHandle } from '../../scripts/lib/extension-browser.ts';
import { startDemoServer, type DemoServer } from '../../demo/server.ts';
import { openSite, sleep, startHarness, type Harness } from './support.ts';

const FLOOD = Number(process.env.RELIABILITY_FLOOD ?? 1000);
const ORIGINS = Number(process.env.RELIABILITY_ORIGINS ?? 50);
/** Bounds: storage.session may hold a few approvals and replies, never one per request. */
const SESSION_PEAK_BOUND = 256 * 1024;
const SESSION_AFTER_GROWTH_BOUND = 16 * 1024;
const HEAP_GROWTH_BOUND = 64 * 1024 * 1024;

let h: Harness;
let flats: DemoServer;

beforeAll(async () => {
  h = await startHarness({ serverCount: 1, onboarded: true });
  // One port on 127.0.0.1 … 127.0.0.<ORIGINS>: as many origins (all of 127/8 is loopback).
  flats = await startDemoServer({ extraHosts: Array.from({ length: ORIGINS - 1 }, (_, i) => `127.0.0.${i + 2}`) });
}, 180_000);

afterAll(async () => {
  await flats?.close();
  await h?.close();
});

interface Figures {
  sessionBytes: number;
  heapBytes: number | null;
}

async function measure(): Promise<Figures> {
  const worker = await getServiceWorker(h.context, h.extensionId);
  const sessionBytes = (await worker.evaluate('chrome.storage.session.getBytesInUse(null)')) as number;
  return { sessionBytes, heapBytes: await workerHeap(h.context) };
}

/** The worker's used JS heap through CDP (Runtime.getHeapUsage on its target), or null if unavailable. */
async function workerHeap(context: BrowserContext): Promise<number | null> {
  const browser = context.browser();
  if (!browser) return null;
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string }[] };
    const target = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${h.extensionId}/`));
    if (!target) return null;
    const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false })) as { sessionId: string };
    const answer = new Promise<number | null>((resolve) => {
      cdp.on('Target.receivedMessageFromTarget', (event: { sessionId: string; message: string }) => {
        const reply = JSON.parse(event.message) as { id?: number; result?: { usedSize?: number } };
        if (event.sessionId === sessionId && reply.id === 1) resolve(reply.result?.usedSize ?? null);
      });
      setTimeout(() => resolve(null), 5_000);
    });
    await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: 1, method: 'Runtime.getHeapUsage' }) });
    const used = await answer;
    await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
    return used;
  } catch {
    return null;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/**
 * Tracks the approval windows: how many are open and undecided now, the most ever at
 * once (`most`), the most counting windows already decided but not yet closed
 * (`mostRaw`: a decided window closes itself a moment later), and the next unclaimed one.
 */
function windowTracker(context: BrowserContext) {
  const open = new Set<Page>();
  const existing = new Set<Page>();
  const queue: Page[] = [];
  let most = 0;
  let mostRaw = 0;
  let total = 0;
  const onPage = (page: Page) => {
    const record = () => {
      if (open.has(page) || page.isClosed() || !isApprovalUrl(page.url())) return;
      open.add(page);
      existing.add(page);
      queue.push(page);
      total++;
      most = Math.max(most, open.size);
      mostRaw = Math.max(mostRaw, existing.size);
      page.once('close', () => {
        open.delete(page);
        existing.delete(page);
      });
    };
    record();
    page.on('framenavigated', record);
  };
  context.on('page', onPage);
  return {
    get open() {
      return open.size;
    },
    get most() {
      return most;
    },
    get mostRaw() {
      return mostRaw;
    },
    /** The test clicked its decision: the window no longer counts as waiting for the user. */
    decided: (page: Page) => open.delete(page),
    get total() {
      return total;
    },
    next: () => queue.shift(),
    stop: () => context.off('page', onPage),
  };
}

/** Rejects each approval window as it comes until every call of `handles` has settled. */
async function rejectUntilSettled(windows: ReturnType<typeof windowTracker>, handles: CallHandle[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outcomes = (await Promise.all(handles.map((hd) => readCalls(hd)))).flat();
    if (outcomes.every((o) => o !== null)) return;
    if (Date.now() > deadline) throw new Error(`${outcomes.filter((o) => o === null).length} requests still pending`);
    const page = windows.next();
    if (page) {
      await page.getByTestId('reject').waitFor({ state: 'visible', timeout: 15_000 }).catch(() => undefined);
      windows.decided(page);
      await rejectIn(page).catch(() => undefined);
    }
    else await sleep(200);
  }
}

const codeCounts = (outcomes: { ok: boolean; error?: { code: number | null }; timedOut?: boolean }[]) => {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const key = o.ok ? 'ok' : o.timedOut ? 'timed out' : String(o.error?.code);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
};

describe('floods', () => {
  test(`${FLOOD} identity requests at once from one page: one window, the rest -32002, memory and storage.session bounded`, async () => {
    const server = h.servers[0];
    if (!server) throw new Error('no server');
    const page = await openSite(h.context, server.url('127.0.0.1', '/plain'));
    const before = await measure();
    const windows = windowTracker(h.context);
    try {
      const handle = await startCalls(page, Array.from({ length: FLOOD }, () => ({ method: 'wallet_requestIdentity', params: { nonce: newNonce() } })), { timeoutMs: 120_000 });
      await expect.poll(async () => (await readCalls(handle)).filter((o) => o !== null).length, { timeout: 90_000, interval: 500 }).toBe(FLOOD - 1);
      await sleep(1_000);
      const peak = await measure();
      expect(windows.open, 'one window for the one request that waits').toBe(1);
      await rejectUntilSettled(windows, [handle], 60_000);
      const outcomes = await waitCalls(handle);
      await sleep(500);
      const after = await measure();
      const counts = codeCounts(outcomes);
      console.log(`reliability flood (one page): ${FLOOD} requests → ${JSON.stringify(counts)}; windows ${windows.total} (at most ${windows.most} undecided at once, ${windows.mostRaw} counting decided ones closing); session bytes ${before.sessionBytes} → ${peak.sessionBytes} (peak) → ${after.sessionBytes}; worker heap ${before.heapBytes} → ${peak.heapBytes} → ${after.heapBytes}`);
      expect(windows.most, 'approval windows open at once').toBe(1);
      expect(counts).toEqual({ '-32002': FLOOD - 1, '4001': 1 });
      expect(peak.sessionBytes).toBeLessThan(SESSION_PEAK_BOUND);
      expect(after.sessionBytes - before.sessionBytes).toBeLessThan(SESSION_AFTER_GROWTH_BOUND);
      if (before.heapBytes !== null && after.heapBytes !== null) expect(after.heapBytes - before.heapBytes).toBeLessThan(HEAP_GROWTH_BOUND);
    } finally {
      windows.stop();
      await page.close();
    }
  }, 300_000);

  test(`one identity request from each of ${ORIGINS} origins at once: one window at a time, every request settles`, async () => {
    const pages: Page[] = [];
    for (let i = 1; i <= ORIGINS; i++) pages.push(await openSite(h.context, flats.url(`127.0.0.${i}`, '/plain')));
    const before = await measure();
    const windows = windowTracker(h.context);
    try {
      const handles = await Promise.all(pages.map((p) => startCalls(p, [{ method: 'wallet_requestIdentity', params: { nonce: newNonce() } }], { timeoutMs: 240_000 })));
      await sleep(3_000);
      const peak = await measure();
      const openAtPeak = windows.open;
      await rejectUntilSettled(windows, handles, 200_000);
      const outcomes = (await Promise.all(handles.map((hd) => waitCalls(hd)))).flat();
      await sleep(500);
      const after = await measure();
      const counts = codeCounts(outcomes);
      console.log(`reliability flood (${ORIGINS} origins): ${JSON.stringify(counts)}; windows ${windows.total} (at most ${windows.most} undecided at once, ${windows.mostRaw} counting decided ones closing, ${openAtPeak} after 3 s); session bytes ${before.sessionBytes} → ${peak.sessionBytes} (peak) → ${after.sessionBytes}; worker heap ${before.heapBytes} → ${peak.heapBytes} → ${after.heapBytes}`);
      expect(windows.most, 'approval windows open at once, across origins').toBe(1);
      expect(outcomes.filter((o) => o.timedOut), 'requests that never settled').toEqual([]);
      expect(outcomes.every((o) => !o.ok && (o.error.code === 4001 || o.error.code === -32002)), JSON.stringify(counts)).toBe(true);
      expect(peak.sessionBytes).toBeLessThan(SESSION_PEAK_BOUND);
      expect(after.sessionBytes - before.sessionBytes).toBeLessThan(SESSION_AFTER_GROWTH_BOUND);
      if (before.heapBytes !== null && after.heapBytes !== null) expect(after.heapBytes - before.heapBytes).toBeLessThan(HEAP_GROWTH_BOUND);
    } finally {
      windows.stop();
      await Promise.all(pages.map((p) => p.close().catch(() => undefined)));
    }
  }, 420_000);
});
